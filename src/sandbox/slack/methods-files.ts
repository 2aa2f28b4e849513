import { messageBlocks } from './blocks.js';
import { slackError, type UploadedFile } from './model.js';
import { str, type Method } from './params.js';
import type { Workspace } from './workspace.js';

/** Step 1 of files.uploadV2: announce a file, get a URL on the emulator to send its bytes to. */
const getUploadUrl: Method = (ws, params) => {
  const filename = str(params, 'filename');
  const length = Number(str(params, 'length'));
  if (!filename || !Number.isInteger(length) || length < 0) return slackError('invalid_arguments');
  const altText = str(params, 'alt_text');
  const file: UploadedFile = {
    id: ws.nextId('F'),
    filename,
    length,
    ...(altText ? { alt_text: altText } : {}),
    completed: false,
    at: ws.now(),
  };
  ws.files.set(file.id, file);
  return { ok: true, upload_url: `${ws.origin}/upload/v1/${file.id}`, file_id: file.id };
};

/** Step 2: the upload URL takes the bytes, raw or as multipart (which @slack/web-api sends). */
export function receiveUpload(ws: Workspace, fileId: string, bytes: Buffer): boolean {
  const file = ws.files.get(fileId);
  if (!file || file.completed) return false;
  file.bytes = bytes;
  return true;
}

/** Step 3: finish the uploads and share them, with one message, where the client asked. */
const completeUpload: Method = (ws, params) => {
  const entries = Array.isArray(params.files) ? (params.files as unknown[]) : undefined;
  if (!entries || entries.length === 0) return slackError('invalid_arguments');
  const files: UploadedFile[] = [];
  for (const entry of entries) {
    const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
    const file = typeof id === 'string' ? ws.files.get(id) : undefined;
    if (!file || file.bytes === undefined) return slackError('file_not_found');
    const title = (entry as { title?: unknown }).title;
    if (typeof title === 'string') file.title = title;
    files.push(file);
  }
  const channelId = str(params, 'channel_id');
  const channel = channelId === undefined ? undefined : ws.resolveChannel(channelId);
  if (channelId !== undefined && !channel) return slackError('channel_not_found');
  const refused = channel ? ws.refusePost(channel) : undefined;
  if (refused) return refused;
  const checked = messageBlocks(params.blocks);
  if ('ok' in checked) return checked;
  const threadTs = str(params, 'thread_ts');
  const comment = str(params, 'initial_comment');
  for (const file of files) {
    file.completed = true;
    if (channel) file.channel = channel.id;
    if (threadTs) file.thread_ts = threadTs;
    if (comment) file.initial_comment = comment;
  }
  if (channel)
    ws.addMessage({
      channel: channel.id,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      user: ws.identity.botUserId,
      bot_id: ws.identity.botId,
      text: comment ?? '',
      blocks: checked.blocks,
      files: files.map((f) => f.id),
      via: 'files.completeUploadExternal',
    });
  return {
    ok: true,
    files: files.map((f) => ({
      id: f.id,
      name: f.filename,
      title: f.title ?? f.filename,
      size: f.bytes?.length ?? 0,
      channels: f.channel ? [f.channel] : [],
      permalink: `${ws.origin}/files/${f.id}`,
    })),
  };
};

export const fileMethods: Record<string, Method> = {
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
};
