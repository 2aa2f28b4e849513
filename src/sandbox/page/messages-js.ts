/**
 * A channel's messages and a thread, from the emulator's snapshot, as one person sees them:
 * ephemerals only for that person, thread replies behind "N replies". Browser JavaScript served as written.
 */
export const MESSAGES_JS = String.raw`'use strict';
function clockOf(ts) {
  var d = new Date(Number(ts) * 1000);
  return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2) + ':' + ('0' + d.getSeconds()).slice(-2);
}
function isReply(m) { return m.thread_ts !== undefined && m.thread_ts !== m.ts; }
/** The channel as one person sees it: messages and that person's ephemerals, in time order. */
function channelView(channel, me) {
  var messages = channel.messages.filter(function (m) { return !m.deleted; });
  var mine = channel.ephemerals.filter(function (e) { return !e.deleted && e.user === me; });
  var items = messages.map(function (m) { return { m: m, ephemeral: false }; })
    .concat(mine.map(function (e) { return { m: e, ephemeral: true }; }));
  items.sort(function (a, b) { return Number(a.m.ts) - Number(b.m.ts); });
  var replies = {};
  items.filter(function (item) { return isReply(item.m); }).forEach(function (item) {
    (replies[item.m.thread_ts] = replies[item.m.thread_ts] || []).push(item);
  });
  return { top: items.filter(function (item) { return !isReply(item.m); }), replies: replies };
}
function messageHtml(m, ephemeral, names, replyCount) {
  // An ephemeral's user is who sees it; the bot wrote it.
  var bot = ephemeral || !!m.bot_id;
  var name = bot ? 'lifeboat' : names[m.user] || m.user;
  var body = m.blocks && m.blocks.length
    ? renderBlocks(m.blocks, { surface: 'message', names: names })
    : '<div class="b-text">' + mrkdwn(m.text, names) + '</div>';
  var replies = replyCount
    ? '<button type="button" class="replies" data-kind="thread" data-thread="' + esc(m.ts) + '">' + replyCount + (replyCount === 1 ? ' reply' : ' replies') + '</button>'
    : '';
  return '<div class="msg' + (ephemeral ? ' ephemeral' : '') + '" data-channel="' + esc(m.channel) + '" data-ts="' + esc(m.ts) + '">' +
    '<div class="avatar' + (bot ? ' bot' : '') + '">' + (bot ? '🛟' : esc(name.charAt(0).toUpperCase())) + '</div>' +
    '<div class="content"><div class="meta"><b>' + esc(name) + '</b>' + (bot ? '<span class="tag">APP</span>' : '') +
    '<time>' + clockOf(m.ts) + '</time>' + (m.edits && m.edits.length ? '<span class="edited">(edited)</span>' : '') + '</div>' +
    (ephemeral ? '<div class="only-you">Only visible to you</div>' : '') + body + replies + '</div></div>';
}
function channelHtml(view, names) {
  if (!view.top.length) return '<p class="msg">No messages yet. Type <code>/dr help</code> below.</p>';
  return view.top.map(function (item) {
    return messageHtml(item.m, item.ephemeral, names, (view.replies[item.m.ts] || []).length);
  }).join('');
}
function threadHtml(view, parentTs, names) {
  var parent = view.top.filter(function (item) { return item.m.ts === parentTs; })[0];
  if (!parent) return '<p class="msg">This thread is gone.</p>';
  var replies = view.replies[parentTs] || [];
  return messageHtml(parent.m, parent.ephemeral, names, 0) +
    '<div class="b-context" style="padding: 0 20px">' + replies.length + (replies.length === 1 ? ' reply' : ' replies') + '</div>' +
    replies.map(function (item) { return messageHtml(item.m, item.ephemeral, names, 0); }).join('');
}
/** The newest message that has replies: the thread the page follows until the person closes it. */
function newestThread(view) {
  var withReplies = view.top.filter(function (item) { return (view.replies[item.m.ts] || []).length > 0; });
  return withReplies.length ? withReplies[withReplies.length - 1].m.ts : null;
}
`;
