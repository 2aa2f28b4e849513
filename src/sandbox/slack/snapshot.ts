import type {
  ApiCall,
  BotIdentity,
  Ephemeral,
  Message,
  ResponseUrl,
  SlackChannel,
  SlackUser,
  UploadedFile,
  UserGroup,
  ViewRecord,
} from './model.js';
import type { Workspace } from './workspace.js';

/** The whole workspace as plain JSON, for a browser page or a failing test's log; file bytes become sizes. */
export type WorkspaceSnapshot = {
  readonly identity: BotIdentity;
  readonly users: readonly SlackUser[];
  readonly channels: readonly (SlackChannel & {
    readonly messages: readonly Message[];
    readonly ephemerals: readonly Ephemeral[];
  })[];
  readonly userGroups: readonly UserGroup[];
  readonly views: readonly ViewRecord[];
  readonly files: readonly (Omit<UploadedFile, 'bytes'> & { readonly size: number | null })[];
  readonly responseUrls: readonly ResponseUrl[];
  readonly calls: readonly ApiCall[];
};

/** `history: false` leaves out the call log and response URLs, which grow with every call and a page does not need. */
export type SnapshotOptions = { readonly history?: boolean };

export function snapshot(ws: Workspace, options: SnapshotOptions = {}): WorkspaceSnapshot {
  const copy = <T>(value: T): T => structuredClone(value);
  const history = options.history ?? true;
  return {
    identity: ws.identity,
    users: [...ws.users.values()],
    channels: [...ws.channels.values()].map((channel) => ({
      ...channel,
      messages: copy(ws.messages.get(channel.id) ?? []),
      ephemerals: copy(ws.ephemerals.filter((e) => e.channel === channel.id)),
    })),
    userGroups: copy([...ws.groups.values()]),
    views: copy([...ws.views.values()]),
    files: [...ws.files.values()].map(({ bytes, ...file }) => ({ ...file, size: bytes?.length ?? null })),
    responseUrls: history ? copy([...ws.responseUrls.values()]) : [],
    calls: history ? copy(ws.calls) : [],
  };
}
