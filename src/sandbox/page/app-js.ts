/**
 * The page's loop: poll the emulator's snapshot, draw what changed for the person chosen in the
 * switcher, and send what they do to the sandbox server, which signs it and passes it to the bot as
 * Slack would. Browser JavaScript served as written; no backticks or dollar-braces (see mrkdwn-js.ts).
 */
export const APP_JS = String.raw`'use strict';
var ui = { me: null, channel: 'C0INCIDENT', thread: null, pinned: false, closedThread: null, snapshot: null, drawn: {}, info: null };
var $ = function (id) { return document.getElementById(id); };

function toast(text) {
  var box = $('toast');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(function () { box.hidden = true; }, 7000);
}
function send(kind, body) {
  body.user = ui.me;
  return fetch('/_sandbox/' + kind, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    .then(function (r) { return r.json().catch(function () { return {}; }).then(function (j) { if (!r.ok) toast(j.error || 'HTTP ' + r.status); return r.ok; }); })
    .catch(function (error) { toast('The sandbox is not answering: ' + error.message); return false; })
    .finally(poll);
}
function names() {
  var map = {};
  ui.snapshot.users.forEach(function (u) { map[u.id] = u.name; });
  ui.snapshot.channels.forEach(function (c) { map[c.id] = c.name; });
  return map;
}
/** Redraws a region only when what it shows changed, so typing, focus and scroll survive polls. */
function draw(region, data, render) {
  var key = JSON.stringify(data);
  if (ui.drawn[region] === key) return;
  ui.drawn[region] = key;
  render();
}
function channelOf(id) { return ui.snapshot.channels.filter(function (c) { return c.id === id; })[0]; }
function visibleChannels() {
  return ui.snapshot.channels.filter(function (c) { return !c.is_im || c.user === ui.me; });
}
function render() {
  var s = ui.snapshot;
  if (!s || !ui.me) return;
  var channel = channelOf(ui.channel) || visibleChannels()[0];
  ui.channel = channel.id;
  var view = channelView(channel, ui.me);
  var nameMap = names();
  draw('channels', [visibleChannels().map(function (c) { return c.id + c.messages.length; }), ui.channel], function () {
    $('channels').innerHTML = visibleChannels().map(function (c) {
      return '<button type="button" data-kind="channel" data-channel="' + esc(c.id) + '"' + (c.id === ui.channel ? ' class="active"' : '') + '>' +
        (c.is_im ? '@ ' : '# ') + esc(c.is_im ? nameMap[c.user] || c.name : c.name) + '</button>';
    }).join('');
  });
  draw('head', [ui.channel, ui.me], function () {
    $('channel-head').innerHTML = '# ' + esc(channel.name) + '<small>you are ' + esc(nameMap[ui.me]) + '</small>';
    $('compose').placeholder = 'Message #' + channel.name + ' (try ' + ui.info.command + ' help)';
  });
  draw('messages', [view, ui.me], function () {
    var box = $('messages');
    var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    box.innerHTML = channelHtml(view, nameMap);
    if (atBottom) box.scrollTop = box.scrollHeight;
  });
  var newest = newestThread(view);
  // The panel follows the newest thread (the latest incident's timeline) until the person picks one.
  if (!ui.pinned && newest && newest !== ui.closedThread) ui.thread = newest;
  var parent = view.top.filter(function (item) { return item.m.ts === ui.thread; })[0];
  draw('thread', [ui.thread, parent, ui.thread && view.replies[ui.thread], ui.me], function () {
    $('thread').hidden = !ui.thread;
    if (!ui.thread) return;
    $('thread-channel').textContent = '#' + channel.name;
    var box = $('thread-messages');
    // A thread opens at its newest reply, then follows new ones unless the person scrolled up.
    var follow = box.dataset.thread !== ui.thread || box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    box.dataset.thread = ui.thread;
    box.innerHTML = threadHtml(view, ui.thread, nameMap);
    if (follow) box.scrollTop = box.scrollHeight;
  });
  var open = s.views.filter(function (v) { return v.type === 'modal' && v.state === 'open' && v.user === ui.me; });
  var modal = open[open.length - 1];
  draw('modal', modal ? [modal.id, modal.hash, modal.errors || null] : null, function () {
    var root = $('modal-root');
    if (!modal) return void (root.innerHTML = '');
    var same = root.querySelector('[data-view="' + modal.id + '"]');
    var paint = function () { root.innerHTML = modalHtml(modal, nameMap); };
    if (same) keepValues(root, paint); else paint();
  });
}
function poll() {
  return fetch('/_emulator/state').then(function (r) { return r.json(); }).then(function (snapshot) {
    ui.snapshot = snapshot;
    render();
  }).catch(function () { /* The next poll tries again; the sandbox may be restarting. */ });
}
function setMe(id) {
  ui.me = id;
  ui.drawn = {};
  $('me').value = id;
  history.replaceState(null, '', '?as=' + encodeURIComponent(ui.info.names[id] || id));
  render();
}
document.addEventListener('click', function (event) {
  var target = event.target.closest('[data-kind]');
  if (!target || target.disabled) return;
  var kind = target.dataset.kind;
  if (kind === 'channel') { ui.channel = target.dataset.channel; ui.thread = null; ui.pinned = false; return render(); }
  if (kind === 'thread') { ui.thread = target.dataset.thread; ui.pinned = true; return render(); }
  if (kind === 'close-thread') { ui.closedThread = ui.thread; ui.thread = null; ui.pinned = false; return render(); }
  var modal = target.closest('[data-view]');
  if (kind === 'close' && modal) return void send('close', { view: modal.dataset.view });
  if (kind === 'submit' && modal) {
    var form = modalValues(modal);
    if (form.missing.length) return markMissing(form.missing);
    target.disabled = true;
    return void send('submit', { view: modal.dataset.view, values: form.values }).then(function () { target.disabled = false; });
  }
  if (kind !== 'button') return;
  var message = target.closest('[data-ts]');
  var click = function () {
    if (target.dataset.url) window.open(target.dataset.url, '_blank', 'noopener');
    send('click', { channel: message.dataset.channel, ts: message.dataset.ts, actionId: target.dataset.action, blockId: target.dataset.block });
  };
  if (!target.dataset.confirm) return click();
  var style = target.classList.contains('danger') ? 'danger' : 'primary';
  confirmDialog(JSON.parse(target.dataset.confirm), style).then(function (yes) { if (yes) click(); });
});
document.addEventListener('change', function (event) {
  var target = event.target;
  if (target.id === 'me') return setMe(target.value);
  if (target.dataset.kind !== 'select' || target.value === '') return;
  var message = target.closest('[data-ts]');
  send('select', { channel: message.dataset.channel, ts: message.dataset.ts, actionId: target.dataset.action, blockId: target.dataset.block, value: target.value });
});
// Escape dismisses the confirm dialog, else the modal, as in Slack.
document.addEventListener('keydown', function (event) {
  if (event.key !== 'Escape') return;
  var deny = document.querySelector('#dialog-root [data-answer="no"]');
  if (deny) return deny.click();
  var modal = document.querySelector('#modal-root [data-view]');
  if (modal) send('close', { view: modal.dataset.view });
});
function composer(form, field, threadTs) {
  var submit = function () {
    var text = field.value.trim();
    if (!text) return;
    field.value = '';
    if (text.charAt(0) === '/') send('command', { channel: ui.channel, text: text });
    else send('message', threadTs() ? { channel: ui.channel, text: text, threadTs: threadTs() } : { channel: ui.channel, text: text });
  };
  form.addEventListener('submit', function (event) { event.preventDefault(); submit(); });
  // Enter sends, Shift+Enter is a new line, as in Slack.
  field.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); submit(); }
  });
}
fetch('/_sandbox/info').then(function (r) { return r.json(); }).then(function (info) {
  ui.info = info;
  $('tips').innerHTML = info.tips.map(function (tip) { return '<p>' + mrkdwn(tip, {}) + '</p>'; }).join('');
  $('me').innerHTML = info.people.map(function (id) { return '<option value="' + esc(id) + '">' + esc(info.names[id] || id) + '</option>'; }).join('');
  composer($('composer'), $('compose'), function () { return null; });
  composer($('reply'), $('reply-text'), function () { return ui.thread; });
  var asked = new URLSearchParams(location.search).get('as');
  var chosen = info.people.filter(function (id) { return id === asked || info.names[id] === asked; })[0];
  return poll().then(function () { setMe(chosen || info.people[0]); });
});
setInterval(poll, 500);
`;
