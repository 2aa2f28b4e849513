import type { WebClient } from '@slack/web-api';
import type { Actor } from '../domain/commands.js';
import type { LifeboatConfig } from '../domain/config.js';

type Groups = { readonly byHandle: ReadonlyMap<string, ReadonlySet<string>>; readonly at: number };

/** How long a membership list is trusted; past it, while Slack cannot answer, groups count for nobody. */
export const GROUPS_TTL_MS = 60_000;
const MAX_STALE_MS = 5 * 60_000;
/** A failing usergroups.list is asked again at most this often, not on every click. */
const RETRY_AFTER_FAILURE_MS = 15_000;

/**
 * Who may do what: the config's responders and approvers, by Slack user id or @user-group handle.
 * No list configured means anyone in the channel; approvers default to the responders, never to
 * everyone; the two-person rule applies regardless.
 */
const NO_GROUPS: Groups = { byHandle: new Map(), at: 0 };

export class Access {
  private groups: Groups | undefined;
  private retryAt = 0;

  constructor(
    private readonly access: LifeboatConfig['access'],
    private readonly client: Pick<WebClient, 'usergroups'>,
    private readonly ttlMs = GROUPS_TTL_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Human-readable list of approvers, for refusals that say whom to ask. */
  approvers(): string {
    const approvers = this.access.approvers ?? this.access.responders;
    return (
      approvers?.map((a) => (a.startsWith('@') ? a : `<@${a}>`)).join(', ') ??
      'anyone other than the requester'
    );
  }

  async actor(userId: string): Promise<Actor> {
    const handles = await this.handlesOf(userId);
    const member = (list: readonly string[] | undefined): boolean =>
      list === undefined || list.includes(userId) || list.some((ref) => handles.includes(ref));
    const memberOf = [...handles];
    if (member(this.access.responders)) memberOf.push('responders');
    if (member(this.access.approvers ?? this.access.responders)) memberOf.push('approvers');
    return { id: userId, memberOf };
  }

  private async handlesOf(userId: string): Promise<string[]> {
    const groups = await this.load();
    return [...groups.byHandle].filter(([, members]) => members.has(userId)).map(([handle]) => handle);
  }

  /**
   * All user groups and their members, cached for a short while. A Slack error keeps the last good
   * copy for a few minutes, then fails closed: someone removed from @sre-leads must not approve for an hour.
   * People listed by user id are unaffected.
   */
  private async load(): Promise<Groups> {
    const now = this.clock();
    if (this.groups && now - this.groups.at < this.ttlMs) return this.groups;
    if (now < this.retryAt) return this.usable(now);
    try {
      const list = await this.client.usergroups.list({ include_users: true });
      const byHandle = new Map<string, Set<string>>();
      for (const group of list.usergroups ?? []) {
        if (group.handle) byHandle.set(`@${group.handle}`, new Set(group.users ?? []));
      }
      this.groups = { byHandle, at: this.clock() };
      return this.groups;
    } catch {
      this.retryAt = now + RETRY_AFTER_FAILURE_MS;
      return this.usable(now);
    }
  }

  private usable(now: number): Groups {
    return this.groups && now - this.groups.at < MAX_STALE_MS ? this.groups : NO_GROUPS;
  }
}
