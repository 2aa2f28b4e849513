import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRegistry } from '../../src/actions/registry.js';
import { shell } from '../../src/actions/shell.js';
import { LifeboatConfig } from '../../src/domain/config.js';
import { steerScheduledDrill } from '../../src/engine/autopilot.js';
import { Engine } from '../../src/engine/engine.js';
import { Executor } from '../../src/engine/executor.js';
import { Reactor } from '../../src/engine/reactor.js';
import { startDueDrills } from '../../src/engine/scheduler.js';
import type { RunbookLibrary } from '../../src/runbooks/load.js';
import type { RedisStore } from '../../src/store/redis.js';
import { eventually } from '../support/eventually.js';
import { RESTORE_RUNBOOK } from '../support/incident-fixtures.js';
import { deletePrefix, redisStore, testPrefix } from '../support/redis.js';

const library: RunbookLibrary = {
  runbooks: new Map([[RESTORE_RUNBOOK.id, { runbook: RESTORE_RUNBOOK, file: 'x.yaml', hash: 'h' }]]),
  refused: new Map(),
  trees: new Map(),
  findings: [],
  ok: true,
};
const at = (iso: string) => Date.parse(iso);
const config = (preApproved: boolean) =>
  LifeboatConfig.parse({
    clusters: { drill: { context: 'drill' } },
    drills: {
      cluster: 'drill',
      channel: 'C0DRILLS',
      schedule: [
        {
          runbook: RESTORE_RUNBOOK.id,
          cron: '0 3 1 * *',
          timezone: 'UTC',
          preApproved,
          params: { namespace: 'payments' },
        },
      ],
    },
  });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function replicas(
  count: number,
  clock: () => number,
): { engines: Engine[]; stores: RedisStore[]; prefix: string } {
  const prefix = testPrefix();
  const stores = Array.from({ length: count }, () => redisStore(prefix));
  cleanups.push(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await deletePrefix(prefix);
  });
  return { engines: stores.map((store) => new Engine({ store, library, clock })), stores, prefix };
}

describe('scheduled drills', () => {
  it('start exactly once per slot with two replicas ticking, and a missed slot starts late and says so', async () => {
    let now = at('2026-11-26T10:00:00Z');
    const { engines, stores } = replicas(2, () => now);
    const [a, b] = engines as [Engine, Engine];
    const [marksA, marksB] = stores as [RedisStore, RedisStore];
    expect(await a.handle('x', { id: 'U', memberOf: [] }, { type: 'AddNote', text: 'noop' })).toMatchObject({
      ok: false,
    });
    expect(await startDueDrills(a, marksA, config(false), now)).toEqual([]);

    now = at('2026-12-01T03:00:20Z');
    const started = (
      await Promise.all([
        startDueDrills(a, marksA, config(false), now),
        startDueDrills(b, marksB, config(false), now),
      ])
    ).flat();
    expect(started).toEqual(['DRILL-202612010300-test-restore']);
    const state = await b.state('DRILL-202612010300-test-restore');
    expect(state).toMatchObject({
      mode: 'drill',
      channel: 'C0DRILLS',
      summary: 'Scheduled drill: Restore for tests',
      schedule: { late: false },
    });
    expect(await startDueDrills(b, marksB, config(false), now + 60_000)).toEqual([]);

    now = at('2027-01-01T04:10:00Z');
    expect(await startDueDrills(a, marksA, config(false), now)).toEqual(['DRILL-202701010300-test-restore']);
    expect((await a.state('DRILL-202701010300-test-restore'))?.summary).toBe(
      'Scheduled drill: Restore for tests (started late: was due 2027-01-01 03:00 UTC)',
    );
  });

  async function runScheduled(preApproved: boolean): Promise<Engine> {
    let now = at('2026-11-26T10:00:00Z');
    const { engines, stores } = replicas(1, () => now);
    const [engine] = engines as [Engine];
    const store = stores[0] as RedisStore;
    const workdirRoot = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-sched-'));
    const executor = new Executor({
      store,
      registry: createRegistry({ shell }),
      owner: 'r1',
      leaseMs: 2000,
      workdirRoot,
    });
    const reactors = [
      new Reactor({
        store,
        group: 'executor',
        consumer: 'r1',
        handle: (e) => executor.onFeedEntry(e),
        blockMs: 100,
      }),
      new Reactor({
        store,
        group: 'autopilot',
        consumer: 'r1',
        handle: (e) => steerScheduledDrill(engine, e),
        blockMs: 100,
      }),
    ];
    reactors.forEach((r) => r.start());
    cleanups.push(async () => {
      await Promise.all(reactors.map((r) => r.stop()));
      await executor.idle();
      await rm(workdirRoot, { recursive: true, force: true });
    });
    await startDueDrills(engine, store, config(preApproved), now);
    now = at('2026-12-01T03:00:05Z');
    await startDueDrills(engine, store, config(preApproved), now);
    return engine;
  }

  it('a pre-approved drill runs every step on its own, the destructive one approved by the schedule, and resolves', async () => {
    const engine = await runScheduled(true);
    const id = 'DRILL-202612010300-test-restore';
    await eventually(
      async () => (await engine.state(id))?.status === 'resolved',
      'the drill to resolve',
      20_000,
    );
    const events = await engine.events(id);
    expect(events.find((e) => e.type === 'ApprovalGranted')).toMatchObject({
      by: 'lifeboat-schedule',
      step: 'restore',
    });
    expect(
      events
        .filter((e) => e.type === 'StepFinished')
        .map((e) => (e.type === 'StepFinished' ? [e.step, e.passed] : [])),
    ).toEqual([
      ['look', true],
      ['restore', true],
      ['smoke', true],
    ]);
  });

  it('without pre-approval the drill stops at the destructive step and waits for an approver', async () => {
    const engine = await runScheduled(false);
    const id = 'DRILL-202612010300-test-restore';
    await eventually(
      async () => (await engine.state(id))?.steps.restore?.status === 'requested',
      'the request for approval',
      20_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await engine.state(id))?.steps.restore?.status).toBe('requested');
    expect((await engine.events(id)).some((e) => e.type === 'ApprovalGranted')).toBe(false);
  });
});
