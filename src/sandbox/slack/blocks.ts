import { createHash } from 'node:crypto';
import type { KnownBlock, View } from '@slack/types';
import { slackError, type SlackError } from './model.js';

/** Block Kit limits Slack enforces (REFERENCE.md); a bot that breaks one gets the error Slack gives. */
const LIMIT = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  actionsElements: 25,
  contextElements: 10,
  modalText: 24,
  privateMetadata: 3000,
  messageText: 40_000,
  // https://api.slack.com/reference/block-kit/composition-objects#option
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  // https://api.slack.com/reference/block-kit/block-elements#static_select
  options: 100,
  // https://api.slack.com/reference/block-kit/composition-objects#confirm
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  // https://api.slack.com/reference/block-kit/blocks#input
  label: 2000,
  hint: 2000,
  /** Slack answers msg_blocks_too_long at ~13,200 characters of blocks in all (slackapi/bolt-js#2509). */
  messageBlocksChars: 13_000,
} as const;

/** Block types Slack knows (https://api.slack.com/reference/block-kit/blocks); any other is refused. */
const BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'video',
]);

export type Obj = Record<string, unknown>;
export const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
export const textOf = (value: unknown): string | undefined =>
  isObj(value) && typeof value.text === 'string' ? value.text : undefined;

/** Slack fills in a short id where the sender gave none; ours is derived from content so it is stable. */
function shortId(seed: string): string {
  return createHash('sha1').update(seed).digest('base64url').slice(0, 5);
}

class Checker {
  readonly errors: string[] = [];
  at(pointer: string, message: string): void {
    this.errors.push(`${message} [json-pointer:${pointer}]`);
  }
  max(value: string | undefined, limit: number, pointer: string): void {
    if (value !== undefined && value.length > limit)
      this.at(pointer, `must be less than ${limit + 1} characters`);
  }
  count(list: unknown, limit: number, pointer: string): void {
    if (Array.isArray(list) && list.length > limit) this.at(pointer, `must be less than ${limit + 1} items`);
  }
  /** A text object: required text, its length, and plain_text where Slack allows only that. */
  text(value: unknown, limit: number, pointer: string, plainOnly = false): void {
    if (value === undefined) return;
    const text = textOf(value);
    if (text === undefined) return this.at(pointer, 'missing required field: text');
    if (text.length === 0) this.at(`${pointer}/text`, 'must be more than 0 characters');
    this.max(text, limit, `${pointer}/text`);
    if (plainOnly && isObj(value) && value.type !== 'plain_text')
      this.at(`${pointer}/type`, 'must be plain_text');
  }
}

/** Options of a select: at most 100, text 75, value 150, description 75. */
function checkOptions(check: Checker, options: unknown, pointer: string): void {
  if (options === undefined) return;
  check.count(options, LIMIT.options, pointer);
  list(options).forEach((option, i) => {
    const at = `${pointer}/${i}`;
    if (!isObj(option)) return check.at(at, 'must be an object');
    check.text(option.text, LIMIT.optionText, `${at}/text`);
    if (typeof option.value !== 'string') check.at(`${at}/value`, 'missing required field: value');
    check.max(typeof option.value === 'string' ? option.value : undefined, LIMIT.optionValue, `${at}/value`);
    check.text(option.description, LIMIT.optionDescription, `${at}/description`, true);
  });
}

/** A confirm dialog: title 100 and buttons 30 (plain_text), text 300. */
function checkConfirm(check: Checker, confirm: unknown, pointer: string): void {
  if (confirm === undefined) return;
  if (!isObj(confirm)) return check.at(pointer, 'must be an object');
  check.text(confirm.title, LIMIT.confirmTitle, `${pointer}/title`, true);
  check.text(confirm.text, LIMIT.confirmText, `${pointer}/text`);
  check.text(confirm.confirm, LIMIT.confirmButton, `${pointer}/confirm`, true);
  check.text(confirm.deny, LIMIT.confirmButton, `${pointer}/deny`, true);
}

/** Every string under a `text` key: what Slack counts towards msg_blocks_too_long. */
function textChars(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + textChars(item), 0);
  if (!isObj(value)) return 0;
  return Object.entries(value).reduce(
    (sum, [key, item]) => sum + (key === 'text' && typeof item === 'string' ? item.length : textChars(item)),
    0,
  );
}

function checkElement(
  check: Checker,
  element: unknown,
  pointer: string,
  seed: string,
  seen: Set<string>,
): void {
  if (!isObj(element) || typeof element.type !== 'string')
    return check.at(pointer, 'missing required field: type');
  // Images are the only non-interactive elements that reach here; everything else gets an action_id.
  if (element.action_id === undefined && element.type !== 'image')
    element.action_id = shortId(`${seed}:${JSON.stringify(element)}`);
  if (typeof element.action_id === 'string') {
    check.max(element.action_id, LIMIT.id, `${pointer}/action_id`);
    if (seen.has(element.action_id)) check.at(`${pointer}/action_id`, 'duplicate action_id');
    seen.add(element.action_id);
  }
  if (element.type === 'button') {
    if (textOf(element.text) === undefined) check.at(`${pointer}/text`, 'missing required field: text');
    check.max(textOf(element.text), LIMIT.buttonText, `${pointer}/text/text`);
    check.max(
      typeof element.value === 'string' ? element.value : undefined,
      LIMIT.buttonValue,
      `${pointer}/value`,
    );
    check.max(typeof element.url === 'string' ? element.url : undefined, LIMIT.url, `${pointer}/url`);
  }
  checkOptions(check, element.options, `${pointer}/options`);
  checkConfirm(check, element.confirm, `${pointer}/confirm`);
}

function checkBlock(check: Checker, block: unknown, pointer: string, index: number, ids: Set<string>): void {
  if (!isObj(block) || typeof block.type !== 'string')
    return check.at(pointer, 'missing required field: type');
  if (!BLOCK_TYPES.has(block.type)) return check.at(`${pointer}/type`, `unsupported type: ${block.type}`);
  block.block_id ??= shortId(`${index}:${JSON.stringify(block)}`);
  if (typeof block.block_id !== 'string') return check.at(`${pointer}/block_id`, 'must be a string');
  check.max(block.block_id, LIMIT.id, `${pointer}/block_id`);
  if (ids.has(block.block_id)) check.at(`${pointer}/block_id`, 'duplicate block_id');
  ids.add(block.block_id);
  const actionIds = new Set<string>();
  const seed = block.block_id;
  if (block.type === 'section') {
    if (block.text === undefined && block.fields === undefined)
      check.at(pointer, 'must provide either text or fields');
    check.text(block.text, LIMIT.sectionText, `${pointer}/text`);
    check.count(block.fields, LIMIT.fields, `${pointer}/fields`);
    if (Array.isArray(block.fields))
      block.fields.forEach((field, i) =>
        check.max(textOf(field), LIMIT.fieldText, `${pointer}/fields/${i}/text`),
      );
    if (block.accessory !== undefined)
      checkElement(check, block.accessory, `${pointer}/accessory`, seed, actionIds);
  } else if (block.type === 'header') {
    if (block.text === undefined) check.at(`${pointer}/text`, 'missing required field: text');
    check.text(block.text, LIMIT.headerText, `${pointer}/text`, true);
  } else if (block.type === 'actions' || block.type === 'context') {
    const limit = block.type === 'actions' ? LIMIT.actionsElements : LIMIT.contextElements;
    if (!Array.isArray(block.elements))
      return check.at(`${pointer}/elements`, 'missing required field: elements');
    check.count(block.elements, limit, `${pointer}/elements`);
    if (block.type === 'actions')
      block.elements.forEach((element, i) =>
        checkElement(check, element, `${pointer}/elements/${i}`, `${seed}:${i}`, actionIds),
      );
  } else if (block.type === 'input') {
    if (textOf(block.label) === undefined) check.at(`${pointer}/label`, 'missing required field: label');
    check.text(block.label, LIMIT.label, `${pointer}/label`, true);
    check.text(block.hint, LIMIT.hint, `${pointer}/hint`, true);
    checkElement(check, block.element, `${pointer}/element`, seed, actionIds);
  }
}

function runChecks(blocks: unknown, limit: number, pointer: string): { check: Checker; blocks: Obj[] } {
  const check = new Checker();
  if (!Array.isArray(blocks)) {
    check.at(pointer, 'must be an array');
    return { check, blocks: [] };
  }
  const copy = structuredClone(blocks) as unknown[];
  check.count(copy, limit, pointer);
  const ids = new Set<string>();
  copy.forEach((block, i) => checkBlock(check, block, `${pointer}/${i}`, i, ids));
  return { check, blocks: copy.filter(isObj) };
}

/** A message's blocks as Slack stores them, or the error chat.postMessage/chat.update gives. */
export function messageBlocks(blocks: unknown): { blocks: KnownBlock[] } | SlackError {
  if (blocks === undefined) return { blocks: [] };
  if (typeof blocks === 'string') return slackError('invalid_blocks_format');
  if (textChars(blocks) > LIMIT.messageBlocksChars) return slackError('msg_blocks_too_long');
  const { check, blocks: checked } = runChecks(blocks, LIMIT.messageBlocks, '/blocks');
  if (check.errors.length > 0)
    return slackError('invalid_blocks', {
      errors: check.errors,
      response_metadata: { messages: check.errors.map((e) => `[ERROR] ${e}`) },
    });
  return { blocks: checked as unknown as KnownBlock[] };
}

/** Slack keeps the first 40,000 characters of a message's text. */
export function truncateText(text: string): string {
  return text.length > LIMIT.messageText ? text.slice(0, LIMIT.messageText) : text;
}

/** A view as Slack stores it, or `invalid_arguments` with the reasons, as views.* answer. */
export function checkView(input: unknown, surface: 'modal' | 'home'): { view: View } | SlackError {
  if (!isObj(input))
    return slackError('invalid_arguments', { response_metadata: { messages: ['[ERROR] view'] } });
  const { check, blocks } = runChecks(input.blocks, LIMIT.modalBlocks, '/view/blocks');
  if (input.type !== surface) check.at('/view/type', `must be ${surface}`);
  if (surface === 'modal') {
    if (textOf(input.title) === undefined) check.at('/view/title', 'missing required field: title');
    for (const key of ['title', 'submit', 'close'])
      check.max(textOf(input[key]), LIMIT.modalText, `/view/${key}/text`);
    if (blocks.some((block) => block.type === 'input') && input.submit === undefined)
      check.at('/view/submit', 'must be provided when the view has input blocks');
  }
  const metadata = input.private_metadata;
  check.max(
    typeof metadata === 'string' ? metadata : undefined,
    LIMIT.privateMetadata,
    '/view/private_metadata',
  );
  const callbackId = input.callback_id;
  check.max(typeof callbackId === 'string' ? callbackId : undefined, LIMIT.id, '/view/callback_id');
  if (check.errors.length > 0)
    return slackError('invalid_arguments', {
      response_metadata: { messages: check.errors.map((e) => `[ERROR] ${e}`) },
    });
  return { view: { ...input, blocks } as unknown as View };
}
