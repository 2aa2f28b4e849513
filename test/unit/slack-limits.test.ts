import { describe, expect, it } from '@jest/globals';
import type { KnownBlock, SectionBlock } from '@slack/types';
import {
  actions,
  button,
  clip,
  clipTail,
  code,
  fields,
  fitMessage,
  header,
  LIMITS,
  modal,
  section,
  selectOptions,
} from '../../src/slack/blocks/limits.js';
import { homeView } from '../../src/slack/blocks/home.js';

const textOf = (block: SectionBlock): string => block.text?.text ?? '';
const b = (text: string) => button({ text, actionId: `a.${text}`, value: '{}' });

describe('Block Kit limits, enforced in one place', () => {
  it('keeps section text at 3000 characters: exactly at the limit untouched, past it cut with an ellipsis', () => {
    expect(textOf(section('x'.repeat(3000)))).toHaveLength(3000);
    const cut = textOf(section('x'.repeat(3001)));
    expect(cut).toHaveLength(3000);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('keeps button text at 75 and refuses a value over 2000 (ours, so a bug) instead of cutting it', () => {
    expect(b('y'.repeat(75)).text.text).toHaveLength(75);
    expect(b('y'.repeat(76)).text.text).toBe(`${'y'.repeat(74)}…`);
    expect(() => button({ text: 'Run', actionId: 'a', value: 'v'.repeat(2000) })).not.toThrow();
    expect(() => button({ text: 'Run', actionId: 'a', value: 'v'.repeat(2001) })).toThrow(
      /button value of 2001 characters/,
    );
  });

  it('splits more than 25 buttons over several actions blocks with distinct block ids', () => {
    expect(
      actions(
        Array.from({ length: 25 }, (_, i) => b(String(i))),
        'x',
      ),
    ).toHaveLength(1);
    const blocks = actions(
      Array.from({ length: 26 }, (_, i) => b(String(i))),
      'x',
    );
    expect(blocks.map((block) => block.elements.length)).toEqual([25, 1]);
    expect(new Set(blocks.map((block) => block.block_id)).size).toBe(2);
  });

  it('caps headers at 150 and fields at 10 × 2000', () => {
    expect(header('h'.repeat(151)).text.text).toHaveLength(150);
    const f = fields(Array.from({ length: 11 }, (_, i) => [`n${i}`, 'v'.repeat(3000)] as const));
    expect(f.fields).toHaveLength(10);
    expect(f.fields?.every((field) => field.text.length <= LIMITS.fieldText)).toBe(true);
  });

  it('keeps the tail of long output, saying how much was cut', () => {
    const output = `start\n${'line\n'.repeat(2000)}ERROR: the real reason`;
    const block = code(output, 500);
    expect(textOf(block).length).toBeLessThanOrEqual(500);
    expect(textOf(block)).toContain('ERROR: the real reason');
    expect(textOf(block)).toMatch(/\[… \d+ characters cut …\]/);
    expect(clipTail('short', 10)).toBe('short');
    expect(clip('short', 10)).toBe('short');
  });

  it('fits a message into 50 blocks and the size limit, keeping the head and the buttons and saying what was dropped', () => {
    const many: KnownBlock[] = [
      header('Head'),
      ...Array.from({ length: 80 }, (_, i) => section(`row ${i}`)),
      ...actions([b('Run')]),
    ];
    const fitted = fitMessage(many);
    expect(fitted.length).toBeLessThanOrEqual(50);
    expect(fitted[0]).toEqual(header('Head'));
    expect(fitted.at(-1)?.type).toBe('actions');
    expect(JSON.stringify(fitted)).toMatch(/more blocks not shown/);
    const huge = fitMessage([
      header('Head'),
      ...Array.from({ length: 10 }, () => section('z'.repeat(3000))),
      ...actions([b('Run')]),
    ]);
    expect(JSON.stringify(huge).length).toBeLessThanOrEqual(LIMITS.messageChars + 500);
    const small = [header('Head'), section('one')];
    expect(fitMessage(small)).toEqual(small);
  });

  it('builds modals within the title, block and metadata limits', () => {
    const view = modal({
      title: 'Parameters for a very long runbook name',
      submit: 'Start',
      callbackId: 'c',
      privateMetadata: '{}',
      blocks: Array.from({ length: 120 }, () => section('x')),
    });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks).toHaveLength(100);
    expect(() =>
      modal({ title: 't', callbackId: 'c', privateMetadata: 'm'.repeat(3001), blocks: [] }),
    ).toThrow(/private_metadata/);
  });

  it('lists hundreds of runbooks on the Home tab within 100 blocks of at most 3000 characters, and says what it left out', () => {
    const runbooks = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `runbook-${i}`,
        title: `Restore service number ${i} of the payments platform`,
        targets: { rto: '30m', rpo: '1h' },
      }));
    const view = homeView({ runbooks: runbooks(400), drills: [], open: [], now: 0, command: '/dr' });
    const text = JSON.stringify(view.blocks);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.homeBlocks);
    expect(
      view.blocks.every(
        (block) => block.type !== 'section' || textOf(block as SectionBlock).length <= LIMITS.sectionText,
      ),
    ).toBe(true);
    expect(text).toContain('`runbook-0`');
    expect(text).toContain('`runbook-399`');
    expect(text).not.toContain('not shown');

    const crowded = homeView({ runbooks: runbooks(5000), drills: [], open: [], now: 0, command: '/dr' });
    expect(crowded.blocks).toHaveLength(LIMITS.homeBlocks);
    expect(JSON.stringify(crowded.blocks.at(-1))).toMatch(/\d+ more blocks not shown/);
  });

  it('offers at most 100 options in a select, text and description cut at 75, and leaves out a value over 150 rather than cut it', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ value: `backup-${i}`, text: `backup-${i}` }));
    expect(selectOptions(many)).toHaveLength(100);
    expect(selectOptions(many.slice(0, 100)).at(-1)?.value).toBe('backup-99');
    const [long] = selectOptions([{ value: 'v', text: 't'.repeat(76), description: 'd'.repeat(76) }]);
    expect(long?.text.text).toBe(`${'t'.repeat(74)}…`);
    expect(long?.description?.text).toBe(`${'d'.repeat(74)}…`);
    const [exact] = selectOptions([{ value: 'v', text: 't'.repeat(75), description: 'd'.repeat(75) }]);
    expect(exact?.text.text).toHaveLength(75);
    expect(exact?.description?.text).toHaveLength(75);
    const values = selectOptions([
      { value: 'x'.repeat(150), text: 'fits' },
      { value: 'y'.repeat(151), text: 'too long to send back' },
    ]).map((o) => o.text.text);
    expect(values).toEqual(['fits']);
  });
});
