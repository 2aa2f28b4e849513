/**
 * The page's Slack mrkdwn, minimally: ```blocks```, `code`, <@U…> as @name, <#C…>, links, *bold*,
 * _italic_, ~strike~, > quotes and line breaks. Browser JavaScript served as written (no build step);
 * it avoids backticks and dollar-braces so that it can live in this template literal (\x60 is a backtick).
 */
export const MRKDWN_JS = String.raw`'use strict';
function esc(text) {
  var table = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return String(text).replace(/[&<>"']/g, function (c) { return table[c]; });
}
/** Slack escapes &, < and > in mrkdwn; undone before escaping for HTML, so nothing is escaped twice. */
function unslack(text) {
  return String(text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
function plain(object) {
  return object && typeof object.text === 'string' ? esc(object.text) : '';
}
function textHtml(object, names) {
  if (!object || typeof object.text !== 'string') return '';
  return object.type === 'mrkdwn' ? mrkdwn(object.text, names) : esc(object.text).replace(/\n/g, '<br>');
}
function entity(inner, names) {
  var bar = inner.indexOf('|');
  var target = bar < 0 ? inner : inner.slice(0, bar);
  var label = bar < 0 ? '' : unslack(inner.slice(bar + 1));
  var head = target.charAt(0);
  if (head === '@' || head === '#') {
    var id = target.slice(1);
    return '<span class="mention">' + head + esc(label || names[id] || id) + '</span>';
  }
  if (head === '!') return '<span class="mention">@' + esc(label || target.slice(1).split('^')[0]) + '</span>';
  if (/^(https?|mailto):/.test(target)) {
    var href = unslack(target);
    return '<a href="' + esc(href) + '" target="_blank" rel="noopener">' + esc(label || href) + '</a>';
  }
  return esc('<' + unslack(inner) + '>');
}
var EDGE = '(^|[\\s(\u0000])';
var AFTER = '(?=$|[\\s).,:;!?\u0000])';
function emphasis(html, mark, tag) {
  var pattern = new RegExp(EDGE + '\\' + mark + '([^' + mark + '\\n]+)\\' + mark + AFTER, 'g');
  return html.replace(pattern, '$1<' + tag + '>$2</' + tag + '>');
}
function mrkdwn(text, names) {
  var held = [];
  var hold = function (html) { return '\u0000' + (held.push(html) - 1) + '\u0000'; };
  var s = String(text);
  s = s.replace(/\x60\x60\x60\n?([\s\S]*?)\x60\x60\x60/g, function (_, code) {
    return hold('<pre>' + esc(unslack(code)) + '</pre>');
  });
  s = s.replace(/\x60([^\x60\n]+)\x60/g, function (_, code) {
    return hold('<code>' + esc(unslack(code)) + '</code>');
  });
  s = s.replace(/<([^<>\s][^<>]*)>/g, function (_, inner) { return hold(entity(inner, names)); });
  s = esc(unslack(s));
  s = emphasis(s, '*', 'b');
  s = emphasis(s, '_', 'i');
  s = emphasis(s, '~', 's');
  s = s.replace(/^&gt; ?(.*)$/gm, '<blockquote>$1</blockquote>');
  s = s.replace(/\n/g, '<br>');
  return s.replace(/\u0000(\d+)\u0000/g, function (_, i) { return held[Number(i)]; });
}
`;
