import type {
  ActionsBlock,
  Button,
  ContextBlock,
  HeaderBlock,
  HomeView,
  KnownBlock,
  PlainTextOption,
  SectionBlock,
  ModalView,
} from '@slack/types';
import { codeBlockBody, entities, inert } from './text.js';

/** Slack's Block Kit limits (REFERENCE.md); everything the bot posts is built through this module. */
export const LIMITS = {
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  actionsElements: 25,
  headerText: 150,
  contextElements: 10,
  messageBlocks: 50,
  modalBlocks: 100,
  homeBlocks: 100,
  modalTitle: 24,
  selectOptions: 100,
  optionText: 75,
  optionDescription: 75,
  optionValue: 150,
  hintText: 2000,
  privateMetadata: 3000,
  /** Slack refuses a message somewhere above ~13k characters of blocks; stay well below. */
  messageChars: 12_000,
  /** Slack truncates a message's `text` above 40,000 characters (chat.postMessage docs). */
  messageText: 40_000,
  /** The `text` beside blocks is the notification and fallback: one screenful is plenty. */
  fallbackText: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

/** The one escaping function for mrkdwn (see text.ts), under the name the renderers use. */
export const escape = inert;

const isHigh = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** Where to end a cut at or before `end`: never between a surrogate pair nor inside an entity (`&amp;`). */
function safeEnd(text: string, end: number): number {
  let at = Math.max(0, end);
  if (at > 0 && at < text.length && isHigh(text.charCodeAt(at - 1)) && isLow(text.charCodeAt(at))) at--;
  const partial = /&[a-z]{0,3}$/.exec(text.slice(Math.max(0, at - 4), at));
  return partial ? at - partial[0].length : at;
}

/** Cuts text to `max` characters, saying that it did. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeEnd(text, max - 1))}…`;
}

/** A whole message posted as plain words (a notify step, a backup alert): no live mention or link, one screenful at most. */
export function slackText(text: string): string {
  return clip(entities(text), LIMITS.fallbackText);
}

/** Keeps the end of long output (where the error is), marking what was cut. */
export function clipTail(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = `[… ${text.length - max} characters cut …]\n`;
  let start = text.length - (max - marker.length);
  if (isLow(text.charCodeAt(start)) && isHigh(text.charCodeAt(start - 1))) start++;
  return marker + text.slice(start);
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clip(text, LIMITS.headerText), emoji: true } };
}

export function section(text: string, accessory?: Button): SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: clip(text, LIMITS.sectionText) },
    ...(accessory ? { accessory } : {}),
  };
}

export function fields(pairs: readonly (readonly [string, string])[]): SectionBlock {
  return {
    type: 'section',
    fields: pairs
      .slice(0, LIMITS.fields)
      .map(([name, value]) => ({ type: 'mrkdwn', text: clip(`*${name}*\n${value}`, LIMITS.fieldText) })),
  };
}

export function context(...lines: readonly string[]): ContextBlock {
  return {
    type: 'context',
    elements: lines
      .slice(0, LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: clip(text, LIMITS.sectionText) })),
  };
}

/** Output as a code block that fits a section, tail kept. */
export function code(text: string, max = 2500): SectionBlock {
  const body = clipTail(codeBlockBody(text), max - 8);
  return section(`\`\`\`${body}\`\`\``);
}

export type ButtonSpec = {
  readonly text: string;
  readonly actionId: string;
  readonly value: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: { readonly title: string; readonly text: string; readonly yes: string };
};

/** A button; its value is ours, so one that does not fit is a bug, not something to cut. */
export function button(spec: ButtonSpec): Button {
  if (spec.value.length > LIMITS.buttonValue)
    throw new Error(`button value of ${spec.value.length} characters (limit ${LIMITS.buttonValue})`);
  if (spec.actionId.length > LIMITS.actionId)
    throw new Error(`action_id of ${spec.actionId.length} characters (limit ${LIMITS.actionId})`);
  return {
    type: 'button',
    text: { type: 'plain_text', text: clip(spec.text, LIMITS.buttonText), emoji: true },
    action_id: spec.actionId,
    value: spec.value,
    ...(spec.style ? { style: spec.style } : {}),
    ...(spec.confirm
      ? {
          confirm: {
            title: { type: 'plain_text', text: clip(spec.confirm.title, LIMITS.confirmTitle) },
            text: { type: 'mrkdwn', text: clip(spec.confirm.text, LIMITS.confirmText) },
            confirm: { type: 'plain_text', text: clip(spec.confirm.yes, LIMITS.confirmButton) },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        }
      : {}),
  };
}

export type OptionSpec = { readonly value: string; readonly text: string; readonly description?: string };

/**
 * Options of a static select: at most 100, text and description cut to 75. A value too long for
 * Slack is left out rather than cut: a cut value would pick something else on submit.
 */
export function selectOptions(options: readonly OptionSpec[]): PlainTextOption[] {
  return options
    .filter((o) => o.value.length > 0 && o.value.length <= LIMITS.optionValue)
    .slice(0, LIMITS.selectOptions)
    .map((o) => ({
      text: { type: 'plain_text', text: clip(o.text, LIMITS.optionText) },
      value: o.value,
      ...(o.description
        ? { description: { type: 'plain_text', text: clip(o.description, LIMITS.optionDescription) } }
        : {}),
    }));
}

/** Buttons in as many actions blocks as the 25-element limit needs. */
export function actions(buttons: readonly Button[], blockId?: string): ActionsBlock[] {
  const blocks: ActionsBlock[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    const id = blockId ? `${blockId}${i === 0 ? '' : `-${i / LIMITS.actionsElements}`}` : undefined;
    blocks.push({
      type: 'actions',
      elements: buttons.slice(i, i + LIMITS.actionsElements),
      ...(id ? { block_id: id } : {}),
    });
  }
  return blocks;
}

/** A message Slack will accept: at most 50 blocks and well under its size limit; what is dropped is said. */
export function fitMessage(blocks: readonly KnownBlock[]): KnownBlock[] {
  const kept = [...blocks];
  const size = (list: readonly KnownBlock[]): number => JSON.stringify(list).length;
  let dropped = 0;
  // Drop from just before the end: the head (what this is) and the last block (the buttons) matter most.
  while (kept.length > 2 && (kept.length > LIMITS.messageBlocks - 1 || size(kept) > LIMITS.messageChars)) {
    kept.splice(kept.length - 2, 1);
    dropped++;
  }
  if (dropped > 0)
    kept.splice(
      kept.length - 1,
      0,
      context(`_${dropped} more blocks not shown; see the thread or \`/dr timeline\`._`),
    );
  return kept;
}

/** A modal within Slack's limits for title, blocks and metadata. */
export function modal(spec: {
  title: string;
  submit?: string;
  callbackId: string;
  privateMetadata: string;
  blocks: readonly KnownBlock[];
}): ModalView {
  if (spec.privateMetadata.length > LIMITS.privateMetadata) throw new Error('private_metadata too long');
  return {
    type: 'modal',
    callback_id: spec.callbackId,
    private_metadata: spec.privateMetadata,
    title: { type: 'plain_text', text: clip(spec.title, LIMITS.modalTitle) },
    ...(spec.submit ? { submit: { type: 'plain_text', text: clip(spec.submit, LIMITS.modalTitle) } } : {}),
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: spec.blocks.slice(0, LIMITS.modalBlocks),
  };
}

/** Lines in as few sections as they fit, each under the section limit; one line too long alone is cut. */
export function packed(lines: readonly string[]): SectionBlock[] {
  const texts: string[] = [];
  for (const line of lines) {
    const last = texts.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= LIMITS.sectionText)
      texts[texts.length - 1] = `${last}\n${line}`;
    else texts.push(line);
  }
  return texts.map((text) => section(text));
}

/** A Home tab within Slack's 100 blocks; what does not fit is said, at the end. */
export function home(blocks: readonly KnownBlock[]): HomeView {
  const kept =
    blocks.length <= LIMITS.homeBlocks
      ? [...blocks]
      : [
          ...blocks.slice(0, LIMITS.homeBlocks - 1),
          context(`_${blocks.length - LIMITS.homeBlocks + 1} more blocks not shown._`),
        ];
  return { type: 'home', blocks: kept };
}
