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
} as const;

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
}

function checkBlock(check: Checker, block: unknown, pointer: string, index: number, ids: Set<string>): void {
  if (!isObj(block) || typeof block.type !== 'string')
    return check.at(pointer, 'missing required field: type');
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
    check.max(textOf(block.text), LIMIT.sectionText, `${pointer}/text/text`);
    check.count(block.fields, LIMIT.fields, `${pointer}/fields`);
    if (Array.isArray(block.fields))
      block.fields.forEach((field, i) =>
        check.max(textOf(field), LIMIT.fieldText, `${pointer}/fields/${i}/text`),
      );
    if (block.accessory !== undefined)
      checkElement(check, block.accessory, `${pointer}/accessory`, seed, actionIds);
  } else if (block.type === 'header') {
    check.max(textOf(block.text), LIMIT.headerText, `${pointer}/text/text`);
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
  const { check, blocks: checked } = runChecks(blocks, LIMIT.messageBlocks, '/blocks');
  if (check.errors.length > 0)
    return slackError('invalid_blocks', {
      errors: check.errors,
      response_metadata: { messages: check.errors.map((e) => `[ERROR] ${e}`) },
    });
  return { blocks: checked as unknown as KnownBlock[] };
}

/** Slack refuses message text above 40,000 characters. */
export function messageTextError(text: string): SlackError | undefined {
  return text.length > LIMIT.messageText ? slackError('msg_too_long') : undefined;
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
