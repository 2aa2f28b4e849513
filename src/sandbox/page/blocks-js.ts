/**
 * Block Kit as HTML: header, section (text, fields, accessory), context, actions (buttons with
 * styles and confirm dialogs, static selects), divider, and input blocks in modals. Interactive
 * elements carry their block_id and action_id, which the page sends back as Slack's client would.
 * Browser JavaScript served as written; no backticks or dollar-braces (see mrkdwn-js.ts).
 */
export const BLOCKS_JS = String.raw`'use strict';
function renderBlocks(blocks, where) {
  return (blocks || []).map(function (block) { return renderBlock(block, where); }).join('');
}
function renderBlock(b, w) {
  switch (b.type) {
    case 'header':
      return '<div class="b-header">' + plain(b.text) + '</div>';
    case 'section': {
      var text = b.text ? '<div class="b-text">' + textHtml(b.text, w.names) + '</div>' : '';
      var fields = (b.fields || []).map(function (f) { return '<div>' + textHtml(f, w.names) + '</div>'; });
      var grid = fields.length ? '<div class="b-fields">' + fields.join('') + '</div>' : '';
      var accessory = b.accessory ? '<div class="b-accessory">' + element(b.accessory, b, w) + '</div>' : '';
      return '<div class="b-section"><div class="b-main">' + text + grid + '</div>' + accessory + '</div>';
    }
    case 'context':
      return '<div class="b-context">' + (b.elements || []).map(function (e) {
        return e.type === 'image' ? '<span>[' + esc(e.alt_text || 'image') + ']</span>' : '<span>' + textHtml(e, w.names) + '</span>';
      }).join('') + '</div>';
    case 'actions':
      return '<div class="b-actions">' + (b.elements || []).map(function (e) { return element(e, b, w); }).join('') + '</div>';
    case 'divider':
      return '<hr class="b-divider">';
    case 'input':
      return inputBlock(b, w);
    case 'image':
      return '<div class="b-unknown">[image: ' + esc(b.alt_text || '') + ']</div>';
    default:
      return '<div class="b-unknown">[' + esc(b.type) + ' block]</div>';
  }
}
function element(e, block, w) {
  var ids = ' data-block="' + esc(block.block_id) + '" data-action="' + esc(e.action_id) + '"';
  // Elements in modals would need view-container payloads, which nothing in the sandbox sends yet.
  var off = w.surface === 'modal' ? ' disabled' : '';
  if (e.type === 'button') {
    var style = e.style === 'primary' || e.style === 'danger' ? ' ' + e.style : '';
    var confirm = e.confirm ? ' data-confirm="' + esc(JSON.stringify(e.confirm)) + '"' : '';
    var url = e.url ? ' data-url="' + esc(e.url) + '"' : '';
    return '<button type="button" class="btn' + style + '" data-kind="button"' + ids + confirm + url + off + '>' + plain(e.text) + '</button>';
  }
  if (e.type === 'static_select') return selectHtml(e, ' data-kind="select"' + ids + off);
  return '<span class="b-unknown">[' + esc(e.type) + ']</span>';
}
function selectHtml(e, attributes) {
  var initial = e.initial_option ? e.initial_option.value : '';
  var option = function (o) {
    return '<option value="' + esc(o.value) + '"' + (o.value === initial ? ' selected' : '') + '>' + plain(o.text) + '</option>';
  };
  var groups = (e.option_groups || []).map(function (g) {
    return '<optgroup label="' + plain(g.label) + '">' + (g.options || []).map(option).join('') + '</optgroup>';
  });
  var placeholder = '<option value="">' + (plain(e.placeholder) || 'Select an item') + '</option>';
  return '<select class="select"' + attributes + '>' + placeholder + (e.options || []).map(option).join('') + groups.join('') + '</select>';
}
function inputBlock(b, w) {
  var e = b.element || {};
  var id = 'input-' + b.block_id;
  var error = w.errors && w.errors[b.block_id];
  var attributes = ' id="' + esc(id) + '" data-input="' + esc(b.block_id) + '"' + (b.optional ? '' : ' data-required="1"');
  var field;
  if (e.type === 'plain_text_input') {
    var extra = (e.max_length ? ' maxlength="' + Number(e.max_length) + '"' : '') + (e.placeholder ? ' placeholder="' + plain(e.placeholder) + '"' : '');
    field = e.multiline
      ? '<textarea class="text" rows="3"' + attributes + extra + '>' + esc(e.initial_value || '') + '</textarea>'
      : '<input class="text" type="text"' + attributes + extra + ' value="' + esc(e.initial_value || '') + '">';
  } else if (e.type === 'static_select') {
    field = selectHtml(e, attributes);
  } else {
    field = '<span class="b-unknown">[' + esc(e.type) + ' input]</span>';
  }
  var optional = b.optional ? ' <span class="optional">(optional)</span>' : '';
  return '<div class="b-input' + (error ? ' has-error' : '') + '"><label for="' + esc(id) + '">' + plain(b.label) + optional + '</label>' +
    field + (error ? '<div class="error">' + esc(error) + '</div>' : '') + (b.hint ? '<div class="hint">' + plain(b.hint) + '</div>' : '') + '</div>';
}
`;
