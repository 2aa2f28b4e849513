import type { View } from '@slack/types';
import { checkView, messageBlocks, truncateText } from './blocks.js';
import { slackError, type Params, type ResponsePost, type ResponseTarget, type SlackError } from './model.js';
import { flag, str } from './params.js';
import type { Workspace } from './workspace.js';

/** A response_url works 5 times within 30 minutes (Slack's documented limits). */
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;

/**
 * What Slack does with a response (a response_url post or a slash command's ack body): replace or
 * delete the original, or show a new message to everyone (in_channel) or only to the user (ephemeral).
 */
export function deliver(
  ws: Workspace,
  target: ResponseTarget,
  body: Params,
  via: 'response_url' | 'command_ack',
): SlackError | undefined {
  const checked = messageBlocks(body.blocks);
  if ('ok' in checked) return checked;
  // Response URLs cut long text as chat.postMessage does (https://api.slack.com/changelog/2018-04-truncating-really-long-messages).
  const sent = str(body, 'text');
  const text = sent === undefined ? undefined : truncateText(sent);
  if ((flag(body, 'replace_original') || flag(body, 'delete_original')) && target.message) {
    const { ts, ephemeral } = target.message;
    const original = ephemeral ? ws.findEphemeral(target.channel, ts) : ws.findMessage(target.channel, ts);
    if (!original) return slackError('message_not_found');
    if (flag(body, 'delete_original')) {
      original.deleted = true;
      return undefined;
    }
    original.edits.push({ text: original.text, blocks: original.blocks, at: ws.now() });
    original.text = text ?? '';
    original.blocks = checked.blocks;
    return undefined;
  }
  const threadTs = str(body, 'thread_ts');
  const common = { channel: target.channel, text: text ?? '', blocks: checked.blocks, via };
  if (str(body, 'response_type') === 'in_channel')
    ws.addMessage({
      ...common,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      user: ws.identity.botUserId,
      bot_id: ws.identity.botId,
      files: [],
    });
  else ws.addEphemeral({ ...common, ...(threadTs ? { thread_ts: threadTs } : {}), user: target.user });
  return undefined;
}

/** A post to a response_url: HTTP status and JSON answer, recorded on the URL. */
export function postToResponseUrl(
  ws: Workspace,
  id: string,
  body: Params,
): { status: number; answer: Params } {
  const url = ws.responseUrls.get(id);
  if (!url) return { status: 404, answer: slackError('invalid_url') };
  const expired = ws.now() - url.issuedAt > RESPONSE_URL_LIFETIME_MS;
  const used = url.posts.filter((p) => p.status === 200).length >= RESPONSE_URL_USES;
  const error = expired
    ? slackError('expired_url')
    : used
      ? slackError('used_url')
      : deliver(ws, url.target, body, 'response_url');
  const status = error ? (expired || used ? 404 : 400) : 200;
  const post: ResponsePost = {
    at: ws.now(),
    body,
    response_type: str(body, 'response_type') === 'in_channel' ? 'in_channel' : 'ephemeral',
    replace_original: flag(body, 'replace_original'),
    delete_original: flag(body, 'delete_original'),
    status,
  };
  url.posts.push(post);
  return { status, answer: error ?? { ok: true } };
}

/** What Slack does with a view_submission's ack: close the modal, replace it, or show field errors. */
export function applyViewAck(ws: Workspace, viewId: string, body: Params | undefined): void {
  const record = ws.views.get(viewId);
  if (!record) return;
  const action = body ? str(body, 'response_action') : undefined;
  if (action === 'errors' && typeof body?.errors === 'object' && body.errors !== null) {
    record.errors = body.errors as Record<string, string>;
    return;
  }
  if (action === 'update' || action === 'push') {
    const checked = checkView(body?.view, 'modal');
    if (!('ok' in checked)) return replaceFromAck(ws, viewId, checked.view, action);
  }
  record.state = 'closed';
  if (action === 'clear')
    for (const view of ws.views.values()) if (view.user === record.user) view.state = 'closed';
}

function replaceFromAck(ws: Workspace, viewId: string, view: View, action: 'update' | 'push'): void {
  const record = ws.views.get(viewId);
  if (!record) return;
  delete record.errors;
  if (action === 'update') return ws.recordView(record, 'response_action', view);
  const pushed = { ...record, id: ws.nextId('V'), view, history: [] };
  delete pushed.errors;
  ws.views.set(pushed.id, pushed);
  ws.recordView(pushed, 'response_action', view);
}
