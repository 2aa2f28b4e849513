import type { View } from '@slack/types';
import { isObj, list, textOf, type Obj } from './blocks.js';

/** A button as a person sees it in a posted message. */
export type FoundButton = {
  readonly block_id: string;
  readonly action_id: string;
  readonly text: Obj;
  readonly value?: string;
  readonly style?: string;
};

export type ButtonTarget = string | { readonly actionId: string; readonly blockId?: string };

/** Buttons in actions blocks and section accessories, in reading order. */
export function buttonsIn(blocks: readonly unknown[]): FoundButton[] {
  const found: FoundButton[] = [];
  for (const block of blocks.filter(isObj)) {
    const elements =
      block.type === 'actions' && Array.isArray(block.elements) ? block.elements : [block.accessory];
    for (const element of elements.filter(isObj)) {
      if (element.type !== 'button' || !isObj(element.text)) continue;
      found.push({
        block_id: String(block.block_id),
        action_id: String(element.action_id),
        text: element.text,
        ...(typeof element.value === 'string' ? { value: element.value } : {}),
        ...(typeof element.style === 'string' ? { style: element.style } : {}),
      });
    }
  }
  return found;
}

/** The one button a person means, by its visible text or its action_id; anything else is a test bug. */
export function findButton(blocks: readonly unknown[], target: ButtonTarget): FoundButton {
  const buttons = buttonsIn(blocks);
  const matches = buttons.filter((b) =>
    typeof target === 'string'
      ? textOf(b.text) === target
      : b.action_id === target.actionId && (target.blockId === undefined || b.block_id === target.blockId),
  );
  const shown = buttons.map((b) => `"${textOf(b.text)}" (${b.action_id})`).join(', ') || 'none';
  if (matches.length === 0)
    throw new Error(`no button ${JSON.stringify(target)} in the message; buttons: ${shown}`);
  if (matches.length > 1)
    throw new Error(`${matches.length} buttons match ${JSON.stringify(target)}: ${shown}`);
  return matches[0] as FoundButton;
}

export type InputValue = string | readonly string[];

const TEXT_INPUTS = new Set(['plain_text_input', 'email_text_input', 'url_text_input', 'number_input']);
const SINGLE_CHOICE = new Set(['static_select', 'radio_buttons']);
const MULTI_CHOICE = new Set(['multi_static_select', 'checkboxes']);
const PICKERS: Record<string, [field: string, initial: string]> = {
  users_select: ['selected_user', 'initial_user'],
  conversations_select: ['selected_conversation', 'initial_conversation'],
  channels_select: ['selected_channel', 'initial_channel'],
  datepicker: ['selected_date', 'initial_date'],
  timepicker: ['selected_time', 'initial_time'],
};

function optionsOf(element: Obj): Obj[] {
  const grouped = list(element.option_groups)
    .filter(isObj)
    .flatMap((g) => list(g.options));
  return [...list(element.options), ...grouped].filter(isObj);
}

/** An option picked by its value or its visible text, as the person would. */
function pick(element: Obj, wanted: string, label: string): Obj {
  const options = optionsOf(element);
  const option = options.find((o) => o.value === wanted) ?? options.find((o) => textOf(o.text) === wanted);
  if (!option) {
    const offered = options.map((o) => String(o.value)).join(', ');
    throw new Error(`input "${label}" has no option ${JSON.stringify(wanted)}; options: ${offered}`);
  }
  return option;
}

/** A static select in a message, by its placeholder text or action_id, with the option picked (value or text). */
export function findSelect(
  blocks: readonly unknown[],
  target: ButtonTarget,
  wanted: string,
): { block_id: string; action_id: string; selected_option: Obj } {
  const selects = blocks.filter(isObj).flatMap((block) =>
    (block.type === 'actions' ? list(block.elements) : [block.accessory])
      .filter(isObj)
      .filter((element) => element.type === 'static_select')
      .map((element) => ({ block, element })),
  );
  const match = selects.find(({ block, element }) =>
    typeof target === 'string'
      ? textOf(element.placeholder) === target || element.action_id === target
      : element.action_id === target.actionId &&
        (target.blockId === undefined || block.block_id === target.blockId),
  );
  if (!match) throw new Error(`no select ${JSON.stringify(target)} in the message`);
  const label = textOf(match.element.placeholder) ?? String(match.element.action_id);
  return {
    block_id: String(match.block.block_id),
    action_id: String(match.element.action_id),
    selected_option: pick(match.element, wanted, label),
  };
}

/** One input's entry in state.values, as the Slack client fills it in. */
function stateOf(element: Obj, given: InputValue | undefined, label: string): { state: Obj; empty: boolean } {
  const type = String(element.type);
  const one = typeof given === 'string' ? given : given?.[0];
  if (TEXT_INPUTS.has(type)) {
    const value = one ?? (typeof element.initial_value === 'string' ? element.initial_value : null);
    return { state: { type, value }, empty: value === null || value === '' };
  }
  if (SINGLE_CHOICE.has(type)) {
    const option =
      one !== undefined
        ? pick(element, one, label)
        : isObj(element.initial_option)
          ? element.initial_option
          : null;
    return { state: { type, selected_option: option }, empty: option === null };
  }
  if (MULTI_CHOICE.has(type)) {
    const wanted = given === undefined ? undefined : typeof given === 'string' ? [given] : given;
    const initial = list(element.initial_options).filter(isObj);
    const chosen = wanted ? wanted.map((w) => pick(element, w, label)) : initial;
    return { state: { type, selected_options: chosen }, empty: chosen.length === 0 };
  }
  const picker = PICKERS[type];
  if (!picker) throw new Error(`input "${label}" is a ${type}, which the driver cannot fill in`);
  const initial = element[picker[1]];
  const value = one ?? (typeof initial === 'string' ? initial : null);
  return { state: { type, [picker[0]]: value }, empty: value === null };
}

/**
 * state.values for a view_submission: every input block, keyed block_id → action_id, with what the
 * person typed or chose (`values` keyed by block_id or action_id) or the input's initial value.
 */
export function stateValues(
  view: View,
  values: Readonly<Record<string, InputValue>>,
): Record<string, Record<string, Obj>> {
  const state: Record<string, Record<string, Obj>> = {};
  const unused = new Set(Object.keys(values));
  const inputs = (view.blocks as unknown[])
    .filter(isObj)
    .filter((b) => b.type === 'input' && isObj(b.element));
  for (const block of inputs) {
    const element = block.element as Obj;
    const blockId = String(block.block_id);
    const actionId = String(element.action_id);
    const label = textOf(block.label) ?? blockId;
    const key = blockId in values ? blockId : actionId in values ? actionId : undefined;
    if (key !== undefined) unused.delete(key);
    const { state: entry, empty } = stateOf(element, key === undefined ? undefined : values[key], label);
    if (empty && block.optional !== true)
      throw new Error(`required input "${label}" (${blockId}/${actionId}) is empty`);
    state[blockId] = { [actionId]: entry };
  }
  if (unused.size > 0) {
    const known = inputs
      .map((b) => `${String(b.block_id)}/${String((b.element as Obj).action_id)}`)
      .join(', ');
    throw new Error(`no input ${[...unused].join(', ')} in the view; inputs: ${known || 'none'}`);
  }
  return state;
}
