import { checkView } from './blocks.js';
import { slackError, type SlackError, type Trigger, type ViewRecord } from './model.js';
import { str, type Method } from './params.js';
import type { Workspace } from './workspace.js';

/** A trigger_id lives 3 s and works once (REFERENCE.md). */
export const TRIGGER_LIFETIME_MS = 3000;

/** Exchanges a trigger as Slack does, naming what is wrong with it. */
function exchange(ws: Workspace, id: string | undefined): Trigger | SlackError {
  const trigger = id ? ws.triggers.get(id) : undefined;
  if (!trigger) return slackError('invalid_trigger_id');
  if (trigger.usedAt !== undefined) return slackError('exchanged_trigger_id');
  if (ws.now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) return slackError('expired_trigger_id');
  trigger.usedAt = ws.now();
  return trigger;
}

function openWith(
  ws: Workspace,
  triggerId: string | undefined,
  input: unknown,
  action: 'views.open' | 'views.push',
) {
  const checked = checkView(input, 'modal');
  if ('ok' in checked) return checked;
  const trigger = exchange(ws, triggerId);
  if ('ok' in trigger) return trigger;
  const record: ViewRecord = {
    id: ws.nextId('V'),
    type: 'modal',
    user: trigger.user,
    trigger_id: trigger.id,
    hash: '',
    view: checked.view,
    state: 'open',
    history: [],
  };
  ws.recordView(record, action, checked.view);
  ws.views.set(record.id, record);
  return { ok: true as const, view: ws.wireView(record) };
}

const open: Method = (ws, params) => openWith(ws, str(params, 'trigger_id'), params.view, 'views.open');

const push: Method = (ws, params) => openWith(ws, str(params, 'trigger_id'), params.view, 'views.push');

const update: Method = (ws, params) => {
  const viewId = str(params, 'view_id');
  const externalId = str(params, 'external_id');
  const record = viewId
    ? ws.views.get(viewId)
    : [...ws.views.values()].find((v) => externalId && (v.view.external_id ?? '') === externalId);
  if (!record) return slackError('not_found');
  const hash = str(params, 'hash');
  if (hash !== undefined && hash !== record.hash) return slackError('hash_conflict');
  const checked = checkView(params.view, record.type);
  if ('ok' in checked) return checked;
  ws.recordView(record, 'views.update', checked.view);
  return { ok: true, view: ws.wireView(record) };
};

const publish: Method = (ws, params) => {
  const user = str(params, 'user_id');
  if (!user || !ws.users.has(user)) return slackError('user_not_found');
  const checked = checkView(params.view, 'home');
  if ('ok' in checked) return checked;
  let record = [...ws.views.values()].find((v) => v.type === 'home' && v.user === user);
  const hash = str(params, 'hash');
  if (record && hash !== undefined && hash !== record.hash) return slackError('hash_conflict');
  if (!record) {
    record = {
      id: ws.nextId('V'),
      type: 'home',
      user,
      hash: '',
      view: checked.view,
      state: 'open',
      history: [],
    };
    ws.views.set(record.id, record);
  }
  ws.recordView(record, 'views.publish', checked.view);
  return { ok: true, view: ws.wireView(record) };
};

export const viewMethods: Record<string, Method> = {
  'views.open': open,
  'views.push': push,
  'views.update': update,
  'views.publish': publish,
};
