import type { WebClient } from '@slack/web-api';
import type { Actor } from '../domain/commands.js';
import type { LifeboatConfig } from '../domain/config.js';

type Groups = { readonly byHandle: ReadonlyMap<string, ReadonlySet<string>>; readonly at: number };

/**
 * Who may do what: the config's responders and approvers, by Slack user id or @user-group handle.
 * No list configured means anyone in the channel; the two-person rule applies regardless.
 */
export class Access {
  private groups: Groups | undefined;

  constructor(
    private readonly access: LifeboatConfig['access'],
    private readonly client: Pick<WebClient, 'usergroups'>,
    private readonly ttlMs = 5 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Human-readable list of approvers, for refusals that say whom to ask. */
  approvers(): string {
    return (
      this.access.approvers?.map((a) => (a.startsWith('@') ? a : `<@${a}>`)).join(', ') ??
      'anyone other than the requester'
    );
  }

  async actor(userId: string): Promise<Actor> {
    const handles = await this.handlesOf(userId);
    const member = (list: readonly string[] | undefined): boolean =>
      list === undefined || list.includes(userId) || list.some((ref) => handles.includes(ref));
    const memberOf = [...handles];
    if (member(this.access.responders)) memberOf.push('responders');
    if (member(this.access.approvers)) memberOf.push('approvers');
    return { id: userId, memberOf };
  }

  private async handlesOf(userId: string): Promise<string[]> {
    const groups = await this.load();
    return [...groups.byHandle].filter(([, members]) => members.has(userId)).map(([handle]) => handle);
  }

  /** All user groups and their members, cached; a Slack error keeps the last good copy rather than locking people out. */
  private async load(): Promise<Groups> {
    if (this.groups && this.clock() - this.groups.at < this.ttlMs) return this.groups;
    try {
      const list = await this.client.usergroups.list({ include_users: true });
      const byHandle = new Map<string, Set<string>>();
      for (const group of list.usergroups ?? []) {
        if (group.handle) byHandle.set(`@${group.handle}`, new Set(group.users ?? []));
      }
      this.groups = { byHandle, at: this.clock() };
    } catch {
      this.groups ??= { byHandle: new Map(), at: 0 };
    }
    return this.groups;
  }
}
