/**
 * Modals (the bot's views, with the errors of a view_submission ack beside their fields) and the
 * confirm dialogs of buttons, as Slack's client shows them. Browser JavaScript served as written.
 */
export const MODAL_JS = String.raw`'use strict';
function modalHtml(record, names) {
  var v = record.view;
  return '<div class="overlay"><div class="modal" role="dialog" aria-label="' + plain(v.title) + '" data-view="' + esc(record.id) + '">' +
    '<div class="modal-head">' + plain(v.title) + '<button type="button" class="x" data-kind="close" aria-label="Close">×</button></div>' +
    '<div class="modal-body">' + renderBlocks(v.blocks, { surface: 'modal', names: names, errors: record.errors || {} }) + '</div>' +
    '<div class="modal-foot"><button type="button" class="btn" data-kind="close">' + (plain(v.close) || 'Cancel') + '</button>' +
    (v.submit ? '<button type="button" class="btn primary" data-kind="submit">' + plain(v.submit) + '</button>' : '') +
    '</div></div></div>';
}
/** What the person typed or chose, by block_id; Slack's client refuses to send a required field empty. */
function modalValues(root) {
  var values = {};
  var missing = [];
  root.querySelectorAll('[data-input]').forEach(function (field) {
    var value = field.value.trim();
    if (value !== '') values[field.dataset.input] = value;
    else if (field.dataset.required) missing.push(field);
  });
  return { values: values, missing: missing };
}
function markMissing(fields) {
  fields.forEach(function (field) {
    var box = field.closest('.b-input');
    if (!box || box.querySelector('.error')) return;
    box.classList.add('has-error');
    field.insertAdjacentHTML('afterend', '<div class="error">Please complete this required field.</div>');
  });
}
/** Keeps what the person typed when the modal is drawn again (errors came back, or a poll). */
function keepValues(root, render) {
  var typed = {};
  root.querySelectorAll('[data-input]').forEach(function (f) { typed[f.dataset.input] = f.value; });
  render();
  root.querySelectorAll('[data-input]').forEach(function (f) {
    if (Object.prototype.hasOwnProperty.call(typed, f.dataset.input)) f.value = typed[f.dataset.input];
  });
}
/** A button's confirm object as a dialog; resolves true when the person confirms. */
function confirmDialog(confirm, buttonStyle) {
  var root = document.getElementById('dialog-root');
  root.innerHTML = '<div class="overlay"><div class="modal dialog" role="alertdialog" aria-label="' + plain(confirm.title) + '">' +
    '<div class="modal-head">' + plain(confirm.title) + '</div>' +
    '<div class="modal-body">' + textHtml(confirm.text, {}) + '</div>' +
    '<div class="modal-foot"><button type="button" class="btn" data-answer="no">' + (plain(confirm.deny) || 'Cancel') + '</button>' +
    '<button type="button" class="btn ' + ((confirm.style || buttonStyle) === 'danger' ? 'danger' : 'primary') + '" data-answer="yes">' + (plain(confirm.confirm) || 'Yes') + '</button>' +
    '</div></div></div>';
  return new Promise(function (resolve) {
    root.querySelectorAll('[data-answer]').forEach(function (button) {
      button.addEventListener('click', function () {
        root.innerHTML = '';
        resolve(button.dataset.answer === 'yes');
      });
    });
  });
}
`;
