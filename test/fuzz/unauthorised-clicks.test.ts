/**
 * An outsider, UMALLORY (in no access list), presses every kind of button Lifeboat posts, each while
 * it is on the card: the answers of the decision tree, Back, Set parameters, Override, Abort, Approve
 * and Deny (of an override and of a step), Run, Skip, Done, Retry, Rollback and Resolve. Every press
 * is acked within 3 s, MALLORY alone is told why, the refusal is written into the incident's stream
 * as AccessRefused, and nothing else happens: no modal opens, no step starts, no command runs (each
 * step's command leaves a mark in a folder, which stays as it was).
 */
import { REFUSAL_QUIET_MS } from '../../src/domain/incident.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IncidentEvent } from '../../src/domain/events.js';
import { textOf } from '../../src/sandbox/slack/blocks.js';
import { buttonsIn } from '../../src/sandbox/slack/interactions.js';
import { CHANNEL, startWorld, type World } from '../support/e2e.js';
import { recordReliability } from '../support/reliability.js';
import { runbookFolder } from '../support/runbook-folder.js';

const ACCESS = 'access:\n  responders: [UALICE, UBOB]\n  approvers: [UBOB]\n';

const TREE = `apiVersion: lifeboat/v1
kind: DecisionTree
id: outage
default: true
title: Outage
start: scope
nodes:
  scope:
    question: What is failing?
    options:
      - label: The payments namespace
        runbook: guarded-restore
      - label: Something else
        next: region
  region:
    question: Is it the whole region?
    options:
      - label: "Yes"
        runbook: guarded-restore
      - label: "No"
        runbook: guarded-restore
`;

/** A manual step, a step that fails (with a rollback), and a destructive one; each command marks `marks`. */
const runbook = (marks: string) => `apiVersion: lifeboat/v1
kind: Runbook
id: guarded-restore
title: Guarded restore
scenario: Every kind of button, one step at a time
targets: { rto: 30m, rpo: 24h }
params:
  namespace: { type: k8sName, prompt: Namespace to restore }
prerequisites:
  checks:
    - id: not-broken
      title: The namespace is not marked broken
      action: shell
      readOnly: true
      with: { command: [sh, -c, 'test "$1" != broken', _, "{{ params.namespace }}"] }
      expect: { exitCode: 0 }
steps:
  - id: look
    title: Look at the dashboards
    action: manual
    with: { instructions: Check the dashboards. }
  - id: flaky
    title: Flaky restore
    action: shell
    readOnly: true
    with: { command: [sh, -c, 'echo ran >> "$1/flaky-$(date +%s%N)"; exit 1', _, "${marks}"] }
    rollback: { action: manual, with: { instructions: Undo the flaky restore. } }
  - id: wipe
    title: Wipe and restore
    destructive: true
    action: shell
    with: { command: [sh, -c, 'touch "$1/wiped"', _, "${marks}"] }
    verify:
      - title: The wipe left its mark
        action: shell
        readOnly: true
        with: { command: [test, -e, "${marks}/wiped"] }
        expect: { exitCode: 0 }
    restoresService: true
`;

const NOT_A_RESPONDER =
  '🚫 Only responders may do this. Ask an incident responder, or an admin to add you to the responders list.';
const NOT_AN_APPROVER = (verb: string) => `🚫 Only approvers may ${verb} this. Ask an approver: <@UBOB>.`;

let world: World;
let marks: string;
let folder: Awaited<ReturnType<typeof runbookFolder>>;
let incidentId: string;
beforeAll(async () => {
  marks = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-marks-'));
  folder = await runbookFolder({ 'tree.yaml': TREE, 'guarded-restore.yaml': runbook(marks) });
  world = await startWorld({ config: ACCESS, runbooks: folder.dir });
  await world.slack.command('UALICE', 'declare payments are down');
  await world.until(() => world.cardText().includes('What is failing?'), 'the first question');
  [incidentId = ''] = (await world.store.openIncidents()).keys();
}, 30_000);
afterAll(async () => {
  await world?.stop();
  await folder?.remove();
  await rm(marks, { recursive: true, force: true });
});

const events = async (): Promise<readonly IncidentEvent[]> => (await world.store.read(incidentId)).events;
const card = () => world.until(() => world.card(), 'the incident card');
const refusals = () => world.emulator.ephemerals(CHANNEL, 'UMALLORY');
/** The buttons on the card, as people read them. */
const buttons = () => buttonsIn(world.card()?.blocks ?? []).map((b) => textOf(b.text));

/** A responder's press, then what the card must show once it has taken effect. */
async function responder(user: string, button: string, then: string): Promise<void> {
  await world.slack.click(user, await card(), button);
  await world.until(() => world.cardText().includes(then), `${then} on the card`);
}

/** MALLORY presses `button`: acked at once, refused in words, written down, and nothing else. */
async function outsiderPresses(button: string, refusal: string, action: string): Promise<void> {
  const before = await events();
  const marked = await readdir(marks);
  const offered = buttons();
  const seen = refusals().length;
  const ephemerals = world.emulator.ephemerals(CHANNEL).length;

  const result = await world.slack.click('UMALLORY', await card(), button);
  expect(result.status).toBe(200);
  expect(result.ms).toBeLessThan(3000);
  const told = await world.until(() => refusals()[seen], `the refusal of ${button}`);
  expect(told.text).toBe(refusal);
  expect(world.emulator.ephemerals(CHANNEL).length).toBe(ephemerals + 1); // to MALLORY alone

  const after = await events();
  expect(after.slice(0, before.length)).toEqual(before);
  // Written down once a minute per outsider: repeats are answered, not posted to the thread again.
  const last = before.findLast((e) => e.type === 'AccessRefused' && e.by === 'UMALLORY');
  const sinceLast = last ? Date.now() - last.at : Infinity;
  const written = [
    { type: 'AccessRefused', action, reason: expect.any(String), by: 'UMALLORY', at: expect.any(Number) },
  ];
  if (sinceLast < REFUSAL_QUIET_MS - 2000) expect(after.slice(before.length)).toEqual([]);
  else if (sinceLast > REFUSAL_QUIET_MS + 2000) expect(after.slice(before.length)).toEqual(written);
  expect(world.emulator.views('UMALLORY')).toEqual([]);
  expect(await readdir(marks)).toEqual(marked);
  expect(buttons()).toEqual(offered);
}

describe('an outsider presses every kind of button', () => {
  it('is refused at each, told why, written down (once a minute), and nothing runs', async () => {
    await outsiderPresses('Something else', NOT_A_RESPONDER, 'Answer');
    await outsiderPresses('The payments namespace', NOT_A_RESPONDER, 'Answer');

    await responder('UALICE', 'Something else', 'Is it the whole region?');
    await outsiderPresses('Back', NOT_A_RESPONDER, 'Back');

    await world.slack.click('UALICE', await card(), 'No');
    const modal = await world.until(
      () => world.emulator.views('UALICE').find((v) => v.state === 'open'),
      'the modal',
    );
    await world.slack.submitView('UALICE', modal, { namespace: 'broken' });
    await world.until(() => world.cardText().includes('Prerequisites failed'), 'the failed prerequisites');
    await outsiderPresses('Set parameters', NOT_A_RESPONDER, 'SetParams');
    await outsiderPresses('Override', NOT_A_RESPONDER, 'Request');
    await outsiderPresses('Abort', NOT_A_RESPONDER, 'Abort');

    await responder('UALICE', 'Override', 'asked to override');
    await outsiderPresses('Approve', NOT_AN_APPROVER('approve'), 'approve override of #preflight');
    await outsiderPresses('Deny', NOT_AN_APPROVER('deny'), 'deny');

    await responder('UBOB', 'Approve', 'Next: Look at the dashboards');
    await outsiderPresses('Run', NOT_A_RESPONDER, 'Request');
    await outsiderPresses('Skip', NOT_A_RESPONDER, 'Request');

    await responder('UALICE', 'Run', 'press Done');
    await outsiderPresses('Done', NOT_A_RESPONDER, 'ConfirmManual');

    await responder('UALICE', 'Done', 'Next: Flaky restore');
    await responder('UALICE', 'Run', 'Failed');
    await outsiderPresses('Retry', NOT_A_RESPONDER, 'Request');
    await outsiderPresses('Rollback', NOT_A_RESPONDER, 'Request');

    await responder('UALICE', 'Skip', '"Approve"');
    await responder('UBOB', 'Approve', 'Next: Wipe and restore');
    await outsiderPresses('Run', NOT_A_RESPONDER, 'Request');
    await responder('UALICE', 'Run', '"Approve"');
    await outsiderPresses('Approve', NOT_AN_APPROVER('approve'), 'approve run of wipe');
    await outsiderPresses('Deny', NOT_AN_APPROVER('deny'), 'deny');

    await responder('UBOB', 'Approve', 'All steps are done');
    await outsiderPresses('Resolve', NOT_A_RESPONDER, 'Resolve');

    // Only the people allowed made anything happen: one flaky run, one wipe, and every refusal in the thread.
    const ran = (await readdir(marks)).sort();
    const written = (await events()).filter((e) => e.type === 'AccessRefused');
    const told = refusals().length;
    recordReliability({
      scenario: 'an outsider presses every kind of button (17 presses)',
      runs: 17,
      failures: 17 - told,
      lostEvents: written.length === 0 ? 1 : 0,
      duplicateExecutions: Math.max(0, ran.length - 2),
      note: 'each refused and told why, AccessRefused written once a minute, no command ran',
    });
    expect(ran).toEqual([expect.stringMatching(/^flaky-/), 'wiped']);
    expect(told).toBe(17);
    // One written refusal per minute of pressing, and the thread shows exactly those.
    const minutes = Math.ceil((Date.now() - (written[0]?.at ?? Date.now())) / REFUSAL_QUIET_MS) + 1;
    expect(written.length).toBeGreaterThanOrEqual(1);
    expect(written.length).toBeLessThanOrEqual(minutes);
    await world.until(
      () => world.thread().filter((m) => m.text.includes('Refused <@UMALLORY>')).length === written.length,
      'the written refusals in the incident thread',
    );
  }, 90_000);

  it('cannot read the incident: /dr status, /dr timeline and the Home tab show an outsider nothing of it', async () => {
    const { slack, emulator, until } = world;
    // The incident of the test before is still open (the outsider could not resolve it).
    expect([...(await world.store.openIncidents()).keys()]).toEqual([incidentId]);
    const seen = refusals().length;
    const files = emulator.files().length;
    await slack.command('UMALLORY', 'status');
    await slack.command('UMALLORY', 'timeline');
    await until(() => refusals().length >= seen + 2, 'both refusals');
    expect(
      refusals()
        .slice(seen)
        .map((e) => e.text),
    ).toEqual([
      expect.stringContaining('Only responders may see this'),
      expect.stringContaining('Only responders may see this'),
    ]);
    expect(emulator.files().length).toBe(files);
    const published = () => emulator.callsTo('views.publish').length;
    const before = published();
    await slack.homeOpened('UMALLORY');
    await until(() => published() > before, 'the Home tab');
    const home = JSON.stringify(emulator.views('UMALLORY').find((v) => v.type === 'home')?.view.blocks);
    expect(home).not.toContain('payments are down');
    expect(home).not.toContain(incidentId);
    await slack.homeOpened('UALICE');
    await until(
      () =>
        String(JSON.stringify(emulator.views('UALICE').find((v) => v.type === 'home')?.view.blocks)).includes(
          'payments are down',
        ),
      'a responder sees the open incident',
    );
  });
});
