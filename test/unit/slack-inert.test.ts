import { describe, expect, it } from '@jest/globals';
import type { KnownBlock } from '@slack/types';
import type { IncidentEvent } from '../../src/domain/events.js';
import { replay, type IncidentState } from '../../src/domain/incident.js';
import { Runbook } from '../../src/domain/runbook.js';
import { checkView, messageBlocks } from '../../src/sandbox/slack/blocks.js';
import { asSlackSends } from '../../src/sandbox/slack/driver.js';
import { incidentCard } from '../../src/slack/blocks/card.js';
import { timelineEntry } from '../../src/slack/blocks/entry.js';
import { homeView } from '../../src/slack/blocks/home.js';
import { clip, slackText } from '../../src/slack/blocks/limits.js';
import { codeBlockBody, inert } from '../../src/slack/blocks/text.js';
import { paramsModal } from '../../src/slack/blocks/params-modal.js';
import { readinessLines } from '../../src/slack/blocks/readiness.js';
import { timelineLine, timelineMarkdown } from '../../src/slack/blocks/timeline.js';
import { parseCommand } from '../../src/slack/command-text.js';
import { messagesFor } from '../../src/slack/communication.js';
import { T0 } from '../support/incident-fixtures.js';

const EVERYONE = '<!channel> wake up';
const PHISH = '<https://evil.example|Approve restore>';
const TICKS = 'x` *bold* ```y';
const AMP = 'A&amp;B';
const EMOJI = '🚨'.repeat(2500); // 5000 UTF-16 units, all surrogate pairs
const HOSTILE = `${EVERYONE} ${PHISH} ${TICKS} ${AMP} <@UMALLORY> <#C0GENERAL>`;

/** Everything Slack parses as mrkdwn in a message: its text and every mrkdwn text object in its blocks. */
function mrkdwnTexts(text: string, blocks: readonly unknown[]): string[] {
  const found = [text];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    const node = value as Record<string, unknown>;
    if (node.type === 'mrkdwn' && typeof node.text === 'string') found.push(node.text);
    Object.values(node).forEach(walk);
  };
  walk(blocks);
  return found;
}

/** Inert: no control sequence but the mentions Lifeboat writes (the actor, by id), no bare `&`, no split surrogate. */
function expectInert(text: string, allowedMentions: readonly string[] = ['<@UALICE>', '<@UBOB>']): void {
  let rest = text;
  for (const mention of allowedMentions) rest = rest.replaceAll(mention, '');
  expect(rest).not.toMatch(/[<>]/);
  expect(rest).not.toMatch(/&(?!amp;|lt;|gt;)/);
  expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
}

/** What Slack itself would do with the post: the emulator's validator refuses what Slack refuses. */
function expectSlackAccepts(text: string, blocks: readonly KnownBlock[]): void {
  expect(text.length).toBeLessThanOrEqual(40_000);
  const checked = messageBlocks(blocks);
  expect('ok' in checked ? checked : 'accepted').toBe('accepted');
}

const runbook = Runbook.parse({
  apiVersion: 'lifeboat/v1',
  kind: 'Runbook',
  id: 'hostile',
  title: `Restore ${HOSTILE}`,
  scenario: PHISH,
  targets: { rto: '30m', rpo: '24h' },
  params: { namespace: { type: 'string', pattern: '.*', prompt: `Namespace ${PHISH}` } },
  prerequisites: { checks: [{ id: 'fresh', title: PHISH, action: 'shell', with: { command: ['true'] } }] },
  communication: [
    { on: 'step-failed', channel: '#status', message: '*Step failed* for {{ params.namespace }}' },
  ],
  steps: [
    ...Array.from({ length: 60 }, (_, i) => ({
      id: `s${i}`,
      title: `${i === 0 ? `${PHISH} ${TICKS}` : 'Step'} ${EMOJI.slice(0, 60)}`,
      description: HOSTILE,
      action: 'shell',
      with: { command: ['echo', '{{ params.namespace }}'] },
    })),
  ],
});

const at = (n: number) => T0 + n * 1000;
const declared: IncidentEvent = {
  type: 'IncidentDeclared',
  at: at(0),
  by: 'UALICE',
  mode: 'incident',
  summary: HOSTILE,
  channel: 'C0INCIDENT',
};
const selected: IncidentEvent = { type: 'RunbookSelected', at: at(1), by: 'UALICE', runbook, hash: 'h' };
const params: IncidentEvent = { type: 'ParamsSet', at: at(2), by: 'UALICE', params: { namespace: TICKS } };
const failedChecks: IncidentEvent = {
  type: 'PrerequisitesChecked',
  at: at(3),
  by: 'UALICE',
  passed: false,
  checks: [{ id: 'fresh', title: PHISH, passed: false, result: { said: HOSTILE }, failures: [EVERYONE] }],
};
const passedChecks: IncidentEvent = { ...failedChecks, at: at(4), passed: true };

/** A failed `expect` over 1,200 lines of output: once a 57,837-character `text` that stalled the thread. */
const bigOutput = Array.from({ length: 1200 }, (_, i) => `line ${i} {"ok":false,"msg":"${EVERYONE}"}`).join(
  '\n',
);
const finished: IncidentEvent = {
  type: 'StepFinished',
  at: at(6),
  by: 'LIFEBOAT',
  step: 's0',
  attempt: 1,
  passed: false,
  result: { stdout: bigOutput, exitCode: 1, note: TICKS },
  error: `expect failed: stdout ${JSON.stringify(bigOutput)} does not match /ready/`,
  durationMs: 1200,
};

const everyEvent: IncidentEvent[] = [
  declared,
  { type: 'DecisionAnswered', at: at(1), by: 'UBOB', node: 'n', option: 0, label: HOSTILE },
  {
    type: 'ProbeRecorded',
    at: at(1),
    by: 'LIFEBOAT',
    node: 'n',
    evidence: { title: HOSTILE, passed: false, result: { x: HOSTILE }, failures: [PHISH, EMOJI] },
  },
  selected,
  params,
  failedChecks,
  { type: 'StepRequested', at: at(5), by: 'UALICE', step: 's0', gate: 'run', binding: 'b' },
  { type: 'ApprovalDenied', at: at(5), by: 'UBOB', step: 's0', gate: 'run', reason: HOSTILE },
  { type: 'ApprovalsVoided', at: at(5), by: 'LIFEBOAT', step: 's0', reason: HOSTILE },
  { type: 'StepStarted', at: at(5), by: 'UALICE', step: 's0', attempt: 1 },
  finished,
  { type: 'ManualConfirmed', at: at(7), by: 'UBOB', step: 's1', attempt: 1, note: HOSTILE },
  {
    type: 'VerificationRecorded',
    at: at(7),
    by: 'LIFEBOAT',
    step: 's1',
    attempt: 1,
    evidence: { title: HOSTILE, passed: false, result: { got: TICKS }, failures: [HOSTILE] },
  },
  { type: 'StepInterrupted', at: at(8), by: 'LIFEBOAT', step: 's1', attempt: 1, reason: HOSTILE },
  {
    type: 'RollbackFinished',
    at: at(8),
    by: 'UALICE',
    step: 's1',
    passed: false,
    result: {},
    error: HOSTILE,
  },
  { type: 'NoteAdded', at: at(9), by: 'UBOB', text: `${HOSTILE} ${EMOJI}` },
  { type: 'AccessRefused', at: at(9), by: 'UMALLORY', action: HOSTILE, reason: HOSTILE },
  { type: 'IncidentAborted', at: at(10), by: 'UALICE', reason: HOSTILE },
];

const stateOf = (events: readonly IncidentEvent[]): IncidentState => {
  const state = replay('inc-1', events);
  if (!state) throw new Error('no state');
  return state;
};

describe('every post is inert and fits, whatever people and runbooks write', () => {
  it('renders every timeline entry with hostile text inert and within Slack limits', () => {
    const state = stateOf([declared, selected, params, failedChecks]);
    for (const event of everyEvent) {
      const entry = timelineEntry(event, state);
      for (const text of mrkdwnTexts(entry.text, entry.blocks))
        expectInert(text, ['<@UALICE>', '<@UBOB>', '<@UMALLORY>']);
      expectSlackAccepts(entry.text, entry.blocks);
    }
  });

  it('keeps a value in its code span: a backtick in a param cannot end it', () => {
    const line = timelineLine(params, stateOf([declared, selected]));
    expect(line).toContain('namespace=`xˋ *bold* ˋˋˋy`');
    // Exactly the clock's span and the value's span: four backticks.
    expect(line.split('`')).toHaveLength(5);
  });

  it('posts the failed expect over 1,200 lines as a short message plus the whole output as a file', () => {
    expect(finished.type === 'StepFinished' && (finished.error ?? '').length).toBeGreaterThan(40_000);
    const entry = timelineEntry(finished, stateOf([declared, selected, params, passedChecks]));
    expect(entry.text.length).toBeLessThanOrEqual(3000);
    expectSlackAccepts(entry.text, entry.blocks);
    expect(entry.longOutput).toContain(bigOutput);
    expect(entry.longOutput).toContain('does not match /ready/');
    expect(JSON.stringify(entry.blocks)).toContain('attached below as a file');
  });

  it('renders the card inert and within limits, saying how many steps it does not list', () => {
    const states = [
      stateOf([declared, selected]),
      stateOf([declared, selected, params, failedChecks]),
      stateOf([declared, selected, params, passedChecks]),
      stateOf([
        declared,
        selected,
        params,
        passedChecks,
        { type: 'StepStarted', at: at(5), by: 'UALICE', step: 's0', attempt: 1 },
        finished,
      ]),
      stateOf([
        declared,
        selected,
        params,
        passedChecks,
        { type: 'StepRequested', at: at(5), by: 'UALICE', step: 's0', gate: 'run', binding: 'b' },
      ]),
    ];
    for (const state of states) {
      const blocks = incidentCard(state, { now: at(20), progress: `s0: ${HOSTILE}` });
      for (const text of mrkdwnTexts('', blocks)) expectInert(text);
      expectSlackAccepts('', blocks);
      const steps = JSON.stringify(blocks);
      const listed = (steps.match(/\d+\. /g) ?? []).length;
      expect(listed).toBeLessThan(60);
      expect(steps).toContain(`…and ${60 - listed} more steps`);
    }
  });

  it('shows hostile summaries and runbook titles inert on the Home tab and in /dr runbooks', () => {
    const state = stateOf([declared, selected, params, passedChecks]);
    const view = homeView({ runbooks: [runbook], drills: [], open: [state], now: at(30), command: '/dr' });
    expect('ok' in checkView(view, 'home')).toBe(false);
    for (const text of mrkdwnTexts('', view.blocks)) expectInert(text, ['<#C0INCIDENT>']);
    for (const line of readinessLines([runbook], [], at(30))) expectInert(line, []);
  });

  it('posts the communication plan with the runbook words kept and the param value inert', () => {
    const state = stateOf([declared, selected, { ...params, params: { namespace: HOSTILE } }, passedChecks]);
    const [message] = messagesFor(finished, state);
    expect(message?.channel).toBe('#status');
    expect(message?.text.startsWith('*Step failed* for ')).toBe(true);
    expectInert(message?.text ?? '', []);
  });

  it('opens the params modal within Slack limits with hostile prompts and scenario', () => {
    const modal = paramsModal(stateOf([declared, selected]));
    expect('ok' in checkView(modal, 'modal')).toBe(false);
    for (const text of mrkdwnTexts('', modal.blocks)) expectInert(text, []);
  });

  it('never double-escapes: what a person typed is what everyone sees, & and < included', () => {
    const typed = 'declare db &amp; cache <down> & <!channel>';
    const parsed = parseCommand('/dr', asSlackSends(typed));
    expect(parsed).toEqual({ ok: true, verb: 'declare', rest: 'db &amp; cache <down> & <!channel>' });
    const summary = parsed.ok ? parsed.rest : '';
    const line = timelineLine({ ...declared, summary });
    // Slack shows &amp;amp; as "&amp;", &lt; as "<": exactly what was typed, and no mention.
    expect(line).toContain('db &amp;amp; cache &lt;down&gt; &amp; &lt;!channel&gt;');
    // The postmortem file is Markdown, not mrkdwn: the text as typed.
    expect(timelineMarkdown(stateOf([{ ...declared, summary }]), [{ ...declared, summary }])).toContain(
      `declared an incident: ${summary}`,
    );
  });
});

describe('the one escaping function and its code spans', () => {
  it('leaves words alone and fences only delimiters that could open or close a span', () => {
    expect(inert('db_name is down')).toBe('db_name is down');
    expect(inert('*bold*')).toBe('\u200b*\u200bbold\u200b*\u200b');
    expect(inert('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
  });

  it('makes code blocks that no backtick run can end early', () => {
    const body = codeBlockBody('before ``` after `');
    expect(body).not.toContain('``');
    expect(body.replaceAll('\u200b', '')).toBe('before ``` after `');
  });

  it('cuts long text without splitting a surrogate pair or an entity', () => {
    for (let max = 2; max < 40; max++) {
      const cut = clip(`a${EMOJI}`, max);
      expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      expect(clip(inert('<<<<<<<<<<<<<<<<<<<<'), max)).toMatch(/^(&lt;)*…$/);
    }
  });

  it('posts notify steps and backup alerts with no live mention or link, within one screenful', () => {
    const text = slackText(`${HOSTILE} ${EMOJI}`);
    expect(text.length).toBeLessThanOrEqual(3000);
    expectInert(text, []);
  });
});

describe('nothing is cut silently from the params form', () => {
  it('says how many listed choices are too long for a Slack option, and offers the rest', () => {
    const state = stateOf([declared, selected]);
    const choices = [
      { value: 'backup-1', label: 'backup-1' },
      { value: `b-${'x'.repeat(150)}`, label: 'too long' },
    ];
    const modal = paramsModal(state, { namespace: { status: 'listed', choices, total: 2 } });
    expect('ok' in checkView(modal, 'modal')).toBe(false);
    const field = JSON.stringify(modal.blocks.find((b) => b.block_id === 'namespace'));
    expect(field).toContain('1 found (1 too long to list; type those)');
    expect(field).toContain('"value":"backup-1"');
    expect(field).not.toContain('too long"');
  });
});

describe('runbook prose keeps its formatting; what is filled in stays inert', () => {
  it('shows manual instructions with their code spans, a hostile param unable to break out', () => {
    const manual = Runbook.parse({
      apiVersion: 'lifeboat/v1',
      kind: 'Runbook',
      id: 'manual',
      title: 'Manual',
      scenario: 'x',
      targets: { rto: '30m', rpo: '24h' },
      params: { namespace: { type: 'string', pattern: '.*', prompt: 'Namespace' } },
      steps: [
        {
          id: 'by-hand',
          title: 'By hand',
          action: 'manual',
          with: {
            instructions: 'Run `kubectl -n {{ params.namespace }} get pods`, then *check* <!here>',
            checklist: ['Tell {{ params.namespace }}'],
          },
        },
      ],
    });
    const state = stateOf([
      declared,
      { ...selected, runbook: manual },
      { ...params, params: { namespace: `${TICKS} ${EVERYONE}` } },
      { ...passedChecks, checks: [] },
      { type: 'StepStarted', at: at(5), by: 'UALICE', step: 'by-hand', attempt: 1 },
    ]);
    const blocks = incidentCard(state, { now: at(6) });
    expectSlackAccepts('', blocks);
    const shown = mrkdwnTexts('', blocks).join('\n');
    const value =
      'x\u200bˋ\u200b \u200b*\u200bbold\u200b*\u200b \u200bˋ\u200b\u200bˋ\u200b\u200bˋ\u200by &lt;!channel&gt; wake up';
    expect(shown).toContain(`Run \`kubectl -n ${value} get pods\`, then *check* &lt;!here&gt;`);
    expect(shown).toContain(`☐ Tell ${value}`);
    for (const text of mrkdwnTexts('', blocks)) expectInert(text);
  });
});
