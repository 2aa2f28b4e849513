import { messageBlocks, truncateText } from './blocks.js';
import { slackError, type Params } from './model.js';
import { str, type Method } from './params.js';
import type { Workspace } from './workspace.js';

/** The answer's warning when text was cut, in the changelog's shape. */
const TRUNCATED = {
  warning: 'message_truncated',
  response_metadata: {
    messages: [
      '[WARN] Your message was truncated but still posted. The `text` field accepts up to 40,000 characters.',
    ],
    warnings: ['message_truncated'],
  },
};

/**
 * Text and blocks of a post or an update, or the error Slack gives for them. Text over 40,000
 * characters is cut, not refused, and the answer carries the `message_truncated` warning
 * (https://api.slack.com/changelog/2018-04-truncating-really-long-messages).
 */
function content(params: Params, required: boolean) {
  const sent = str(params, 'text');
  if (required && sent === undefined && params.blocks === undefined && params.attachments === undefined)
    return slackError('no_text');
  const text = sent === undefined ? undefined : truncateText(sent);
  const checked = messageBlocks(params.blocks);
  if ('ok' in checked) return checked;
  return {
    text,
    blocks: params.blocks === undefined ? undefined : checked.blocks,
    warning: text !== sent ? TRUNCATED : {},
  };
}

const postMessage: Method = (ws, params) => {
  const channel = ws.resolveChannel(params.channel);
  if (!channel) return slackError('channel_not_found');
  const refused = ws.refusePost(channel);
  if (refused) return refused;
  const posted = content(params, true);
  if ('ok' in posted) return posted;
  const threadTs = str(params, 'thread_ts');
  const message = ws.addMessage({
    channel: channel.id,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    user: ws.identity.botUserId,
    bot_id: ws.identity.botId,
    text: posted.text ?? '',
    blocks: posted.blocks ?? [],
    files: [],
    ...(params.metadata !== undefined ? { metadata: params.metadata } : {}),
    via: 'chat.postMessage',
  });
  return {
    ok: true,
    channel: channel.id,
    ts: message.ts,
    message: ws.wireMessage(message),
    ...posted.warning,
  };
};

const update: Method = (ws, params) => {
  const channel = ws.resolveChannel(params.channel);
  if (!channel) return slackError('channel_not_found');
  const message = ws.findMessage(channel.id, params.ts);
  if (!message) return slackError('message_not_found');
  if (message.user !== ws.identity.botUserId) return slackError('cant_update_message');
  const changed = content(params, true);
  if ('ok' in changed) return changed;
  message.edits.push({ text: message.text, blocks: message.blocks, at: ws.now() });
  // Slack keeps what an update leaves out; an empty blocks array clears them.
  message.text = changed.text ?? message.text;
  message.blocks = changed.blocks ?? message.blocks;
  return {
    ok: true,
    channel: channel.id,
    ts: message.ts,
    text: message.text,
    message: ws.wireMessage(message),
    ...changed.warning,
  };
};

const remove: Method = (ws, params) => {
  const channel = ws.resolveChannel(params.channel);
  if (!channel) return slackError('channel_not_found');
  const message = ws.findMessage(channel.id, params.ts);
  if (!message) return slackError('message_not_found');
  if (message.user !== ws.identity.botUserId) return slackError('cant_delete_message');
  message.deleted = true;
  return { ok: true, channel: channel.id, ts: message.ts };
};

const postEphemeral: Method = (ws, params) => {
  const channel = ws.resolveChannel(params.channel);
  if (!channel) return slackError('channel_not_found');
  const user = str(params, 'user');
  if (!user || !ws.users.has(user)) return slackError('user_not_found');
  const refused = ws.refusePost(channel);
  if (refused) return refused;
  // https://api.slack.com/methods/chat.postEphemeral#errors: the user must be in the channel.
  if (!ws.isInChannel(channel, user)) return slackError('user_not_in_channel');
  const posted = content(params, true);
  if ('ok' in posted) return posted;
  const threadTs = str(params, 'thread_ts');
  const ephemeral = ws.addEphemeral({
    channel: channel.id,
    user,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    text: posted.text ?? '',
    blocks: posted.blocks ?? [],
    via: 'chat.postEphemeral',
  });
  return { ok: true, message_ts: ephemeral.ts, ...posted.warning };
};

const getPermalink: Method = (ws, params) => {
  const channel = ws.resolveChannel(params.channel);
  if (!channel) return slackError('channel_not_found');
  const message = ws.findMessage(channel.id, params.message_ts);
  if (!message) return slackError('message_not_found');
  return {
    ok: true,
    channel: channel.id,
    permalink: permalink(ws, message.channel, message.ts, message.thread_ts),
  };
};

/** Slack's permalink shape, on the emulator's origin so a browser can follow it. */
export function permalink(ws: Workspace, channel: string, ts: string, threadTs?: string): string {
  const path = `${ws.origin}/archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${path}?thread_ts=${threadTs}&cid=${channel}` : path;
}

export const chatMethods: Record<string, Method> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': remove,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
};
