import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRegistry } from '../../src/actions/registry.js';
import { onPath } from '../../src/actions/on-path.js';
import { shell } from '../../src/actions/shell.js';
import type { IncidentEvent } from '../../src/domain/events.js';
import { replay } from '../../src/domain/incident.js';
import { Runbook } from '../../src/domain/runbook.js';
import { Executor } from '../../src/engine/executor.js';
import { handle } from '../../src/engine/handle.js';
import { Reactor } from '../../src/engine/reactor.js';
import { sweep } from '../../src/engine/sweeper.js';
import type { RedisStore } from '../../src/store/redis.js';
import { bindingOf } from '../../src/domain/binding.js';
import type { Log } from '../../src/log.js';
import { eventually } from '../support/eventually.js';
import { alice, bob, envelope, T0 } from '../support/incident-fixtures.js';
import { deletePrefix, redisStore, testPrefix } from '../support/redis.js';

const LEASE_MS = 400;

/** A step that counts its own runs in a file, then takes `seconds` to finish. */
function countingRunbook(idempotent: boolean, seconds: number) {
  return Runbook.parse({
    apiVersion: 'lifeboat/v1',
    kind: 'Runbook',
    id: 'counting',
    title: 'Counting',
    scenario: 'tests',
    targets: { rto: '30m', rpo: '1h' },
    params: { label: { type: 'k8sName', prompt: 'label' } },
    prerequisites: {
      tools: ['sh', 'test'],
      checks: [
        {
          id: 'tools',
          title: 'sh works',
          action: 'shell',
          readOnly: true,
          with: { command: ['sh', '-c', 'exit 0'] },
          expect: { exitCode: 0 },
          restorePoint: true,
        },
      ],
    },
    steps: [
      {
        id: 'work',
        title: 'Do the work once',
        action: 'shell',
        idempotent,
        with: {
          command: [
            'sh',
            '-c',
            'echo "$1" >> "$2"; sleep "$3"',
            '_',
            '{{ params.label }}',
            '{{ workdir }}/runs.log',
            String(seconds),
          ],
        },
        verify: [
          {
            title: 'the run left its mark',
            action: 'shell',
            readOnly: true,
            with: { command: ['test', '-s', '{{ workdir }}/runs.log'] },
            expect: { exitCode: 0 },
          },
        ],
        restoresService: true,
      },
    ],
  });
}

type Replica = { store: RedisStore; executor: Executor; reactor: Reactor };
let replicas: Replica[] = [];
let prefix = '';
let workdirRoot = '';

/** `leaseMs` short (the default) where a test waits for a dead runner's lease to run out. */
async function setup(
  count: number,
  { log, leaseMs = LEASE_MS }: { readonly log?: Log; readonly leaseMs?: number } = {},
): Promise<Replica[]> {
  prefix = testPrefix();
  workdirRoot = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-work-'));
  const registry = createRegistry({ shell });
  replicas = Array.from({ length: count }, (_, i) => {
    const store = redisStore(prefix);
    const executor = new Executor({
      store,
      registry,
      owner: `replica-${i}`,
      leaseMs,
      workdirRoot,
      findTool: (program) => onPath(program),
      ...(log ? { log } : {}),
    });
    const reactor = new Reactor({
      store,
      group: 'executor',
      consumer: `replica-${i}`,
      handle: (entry) => executor.onFeedEntry(entry),
      blockMs: 100,
      staleMs: 2000,
    });
    reactor.start();
    return { store, executor, reactor };
  });
  return replicas;
}

afterEach(async () => {
  for (const { reactor, executor, store } of replicas) {
    await reactor.stop();
    executor.abandonAll();
    await executor.idle();
    await store.close();
  }
  await deletePrefix(prefix);
  await rm(workdirRoot, { recursive: true, force: true });
});

async function events(store: RedisStore): Promise<IncidentEvent[]> {
  return [...(await store.read('inc-1')).events];
}

async function startedStep(store: RedisStore, runbook: Runbook, step = 'work'): Promise<void> {
  const run = (minutes: number, command: Parameters<typeof handle>[1]['command']) =>
    handle(store, envelope('inc-1', alice, T0 + minutes * 60_000, command));
  await run(0, {
    type: 'Declare',
    mode: 'drill',
    summary: 'counting drill',
    channel: 'C1',
    runbook: { runbook, hash: 'h' },
  });
  await run(1, { type: 'SetParams', params: { label: 'first-run' } });
  await eventually(
    async () => replay('inc-1', await events(store))?.status === 'running',
    'prerequisites to pass',
  );
  await run(2, { type: 'Request', step, gate: 'run' });
}

const runsLogged = async (): Promise<string[]> =>
  (await readFile(path.join(workdirRoot, 'inc-1', 'runs.log'), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean);

describe('prerequisites.tools', () => {
  it('fails the prerequisites when a listed program is not installed, naming it', async () => {
    // No runner dies here: a lease that outlives a loaded machine's pauses keeps the checks' result.
    const [{ store }] = (await setup(1, { leaseMs: 10_000 })) as [Replica];
    const runbook = countingRunbook(false, 0);
    const needsTool = {
      ...runbook,
      prerequisites: { ...runbook.prerequisites, tools: ['sh', 'lifeboat-no-such-tool'] },
    };
    const run = (command: Parameters<typeof handle>[1]['command']) =>
      handle(store, envelope('inc-1', alice, T0, command));
    await run({
      type: 'Declare',
      mode: 'drill',
      summary: 'tools',
      channel: 'C1',
      runbook: { runbook: needsTool, hash: 'h' },
    });
    await run({ type: 'SetParams', params: { label: 'first-run' } });
    const preflight = await eventually(
      async () => replay('inc-1', await events(store))?.preflight,
      'the prerequisite checks',
    );
    expect(preflight.passed).toBe(false);
    expect(preflight.failed).toEqual([
      "lifeboat-no-such-tool is installed: lifeboat-no-such-tool is not on PATH where Lifeboat runs steps; install it in Lifeboat's image",
    ]);
  });
});

describe('the executor and the sweeper, on the real Redis with real processes', () => {
  it('runs the prerequisites and the step once, records the verification, and measures RTO', async () => {
    const [a] = await setup(2);
    const store = (a as Replica).store;
    await startedStep(store, countingRunbook(false, 0));
    const finished = await eventually(
      async () => (await events(store)).find((e) => e.type === 'StepFinished'),
      'the step to finish',
    );
    expect(finished).toMatchObject({
      type: 'StepFinished',
      step: 'work',
      attempt: 1,
      passed: true,
      result: { exitCode: 0 },
    });
    const log = await events(store);
    expect(log.find((e) => e.type === 'PrerequisitesChecked')).toMatchObject({
      passed: true,
      checks: [{ id: 'tools', passed: true }],
    });
    expect(log.find((e) => e.type === 'VerificationRecorded')).toMatchObject({
      evidence: { title: 'the run left its mark', passed: true },
    });
    expect(log.find((e) => e.type === 'ServiceRestored')).toMatchObject({ step: 'work' });
    expect(await runsLogged()).toEqual(['first-run']);
  });

  it('a replica that dies mid-step leaves the step interrupted, and it is not run again', async () => {
    const [a, b] = (await setup(2)) as [Replica, Replica];
    await startedStep(a.store, countingRunbook(false, 30));
    await eventually(async () => (await runsLogged()).length === 1, 'the step to start');
    expect(await a.store.leaseState('inc-1', 'work', 1)).toBe('alive');
    // Whichever replica runs the step dies; abandoning both is the same, since only one has work.
    for (const replica of [a, b]) replica.executor.abandonAll();
    await eventually(
      async () => (await a.store.leaseState('inc-1', 'work', 1)) === 'abandoned',
      'the lease to expire',
    );
    expect(await sweep(b.store)).toBe(1);
    const log = await events(b.store);
    expect(log.filter((e) => e.type === 'StepInterrupted')).toHaveLength(1);
    expect(log.filter((e) => e.type === 'StepStarted')).toHaveLength(1);
    expect(replay('inc-1', log)?.steps.work?.status).toBe('interrupted');
    await new Promise((resolve) => setTimeout(resolve, 3 * LEASE_MS));
    expect(await runsLogged()).toEqual(['first-run']);
    expect(await sweep(b.store)).toBe(0);
  });

  it('prerequisite checks whose replica died are run again on a live one, so the card does not stay at "Checking"', async () => {
    const [a, b] = (await setup(2)) as [Replica, Replica];
    const base = countingRunbook(false, 0);
    // The first run hangs (its replica dies); any later run passes at once.
    const slowOnce = Runbook.parse({
      ...base,
      prerequisites: {
        checks: [
          {
            id: 'tools',
            title: 'sh works',
            action: 'shell',
            readOnly: true,
            with: {
              command: [
                'sh',
                '-c',
                'echo x >> "$1"; [ "$(wc -l < "$1")" -gt 1 ] || sleep 30',
                '_',
                '{{ workdir }}/checks.log',
              ],
            },
            expect: { exitCode: 0 },
          },
        ],
      },
    });
    const run = (command: Parameters<typeof handle>[1]['command']) =>
      handle(a.store, envelope('inc-1', alice, T0, command));
    await run({
      type: 'Declare',
      mode: 'drill',
      summary: 'slow checks',
      channel: 'C1',
      runbook: { runbook: slowOnce, hash: 'h' },
    });
    await run({ type: 'SetParams', params: { label: 'x' } });
    const checksLogged = async () =>
      (await readFile(path.join(workdirRoot, 'inc-1', 'checks.log'), 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean);
    await eventually(async () => (await checksLogged()).length === 1, 'the checks to start');
    for (const replica of [a, b]) replica.executor.abandonAll();
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_MS));
    expect(await sweep(b.store, { resume: (id) => b.executor.resume(id) })).toBe(1);
    const preflight = await eventually(
      async () => replay('inc-1', await events(b.store))?.preflight,
      'the re-run checks',
    );
    expect(preflight.passed).toBe(true);
    expect(await checksLogged()).toHaveLength(2);
  });

  it('an idempotent step interrupted the same way runs exactly once more, on a live replica', async () => {
    const [a, b] = (await setup(2)) as [Replica, Replica];
    await startedStep(a.store, countingRunbook(true, 1));
    await eventually(async () => (await runsLogged()).length === 1, 'the step to start');
    // Whichever replica runs the step dies; the other keeps reading the feed and runs the retry.
    for (const replica of [a, b]) replica.executor.abandonAll();
    await eventually(
      async () => (await a.store.leaseState('inc-1', 'work', 1)) === 'abandoned',
      'the lease to expire',
    );
    expect(await sweep(b.store)).toBe(1);
    const finished = await eventually(
      async () => (await events(b.store)).find((e) => e.type === 'StepFinished'),
      'the re-run to finish',
    );
    expect(finished).toMatchObject({ attempt: 2, passed: true });
    expect(await runsLogged()).toEqual(['first-run', 'first-run']);
  });

  it('a failing destructive idempotent step runs once and keeps its real error, whatever it printed and even if logging throws', async () => {
    const said: string[] = [];
    const brittle: Log = (_level, message) => {
      said.push(message);
      if (message === 'step failed') throw new Error("Expected ',' or '}' after property value in JSON");
    };
    const [a, b] = (await setup(2, { log: brittle })) as [Replica, Replica];
    const base = countingRunbook(true, 0);
    const logfmt =
      'time="2026-11-26T03:00:00Z" level=error msg="restore failed: cannot read secret=cloud-credentials"';
    const json = '{"error":"say \\"no\\"","token":"abc\\"def"}';
    const failing = Runbook.parse({
      ...base,
      steps: [
        {
          id: 'work',
          title: 'Restore, and fail loudly',
          action: 'shell',
          destructive: true,
          idempotent: true,
          with: {
            command: [
              'sh',
              '-c',
              'echo run >> "$1"; printf "%s\\n" "$2" "$3" >&2; exit 1',
              '_',
              '{{ workdir }}/runs.log',
              logfmt,
              json,
            ],
          },
          restoresService: true,
        },
      ],
    });
    await startedStep(a.store, failing);
    const state = replay('inc-1', await events(a.store));
    if (!state) throw new Error('no incident');
    await handle(
      a.store,
      envelope('inc-1', bob, T0 + 3 * 60_000, {
        type: 'Approve',
        step: 'work',
        gate: 'run',
        binding: bindingOf(state, failing.steps[0], 'run'),
      }),
    );
    const finished = await eventually(
      async () => (await events(a.store)).find((e) => e.type === 'StepFinished'),
      'the failed result',
    );
    expect(finished).toMatchObject({ passed: false, attempt: 1 });
    expect(finished.type === 'StepFinished' && String(finished.result.stderr)).toContain('restore failed');
    expect(said).toContain('step failed');
    // Long past the lease: nothing swept, nothing interrupted, nothing re-run.
    await new Promise((resolve) => setTimeout(resolve, 4 * LEASE_MS));
    expect(await sweep(b.store)).toBe(0);
    const log = await events(b.store);
    expect(log.filter((e) => e.type === 'StepInterrupted')).toEqual([]);
    expect(log.filter((e) => e.type === 'StepStarted')).toHaveLength(1);
    expect(await runsLogged()).toEqual(['run']);
  });

  it('stores and posts no secrets: output is redacted before it reaches the stream', async () => {
    const [a] = (await setup(1)) as [Replica];
    const leaky = Runbook.parse({
      ...countingRunbook(false, 0),
      steps: [
        {
          id: 'leak',
          title: 'Print credentials by mistake',
          action: 'shell',
          with: {
            command: ['sh', '-c', 'echo "key AKIAIOSFODNN7EXAMPLE pw $DB_PASSWORD"'],
            env: { DB_PASSWORD: 'correct-horse-battery' },
          },
          restoresService: true,
        },
      ],
    });
    await startedStep(a.store, leaky, 'leak');
    const finished = await eventually(
      async () => (await events(a.store)).find((e) => e.type === 'StepFinished'),
      'the step to finish',
    );
    expect(finished).toMatchObject({ passed: true, result: { stdout: 'key [REDACTED] pw [REDACTED]\n' } });
    // The runbook itself (RunbookSelected) holds what its author wrote; nothing the step produced may.
    const produced = (await events(a.store)).filter((e) => e.type !== 'RunbookSelected');
    expect(JSON.stringify(produced)).not.toMatch(/AKIAIOSFODNN7EXAMPLE|correct-horse-battery/);
  });

  it('checks the external dependencies a runbook declares before it starts, and blocks the start when one does not answer', async () => {
    const [a] = (await setup(1)) as [Replica];
    const dependent = Runbook.parse({
      ...countingRunbook(false, 0),
      dependsOn: [
        {
          name: 'Payments database',
          probe: { action: 'shell', readOnly: true, with: { command: ['sh', '-c', 'exit 0'] } },
        },
        {
          name: 'Object storage',
          probe: {
            action: 'shell',
            readOnly: true,
            with: { command: ['sh', '-c', 'echo unreachable >&2; exit 7'] },
          },
        },
      ],
    });
    await handle(
      a.store,
      envelope('inc-1', alice, T0, {
        type: 'Declare',
        mode: 'drill',
        summary: 'deps',
        channel: 'C1',
        runbook: { runbook: dependent, hash: 'h' },
      }),
    );
    await handle(a.store, envelope('inc-1', alice, T0 + 1, { type: 'SetParams', params: { label: 'x' } }));
    const checked = await eventually(
      async () => (await events(a.store)).find((e) => e.type === 'PrerequisitesChecked'),
      'the prerequisites',
    );
    expect(checked).toMatchObject({
      passed: false,
      checks: [
        { id: 'tools', passed: true },
        { id: 'depends-on:Payments database', title: 'Payments database answers', passed: true },
        {
          id: 'depends-on:Object storage',
          title: 'Object storage answers',
          passed: false,
          failures: ['sh exited with 7'],
        },
      ],
    });
  });
});
