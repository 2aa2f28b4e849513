import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { bindingOf } from '../../src/domain/binding.js';
import type { Actor, Command } from '../../src/domain/commands.js';
import type { IncidentEvent } from '../../src/domain/events.js';
import { replay } from '../../src/domain/incident.js';
import { handle } from '../../src/engine/handle.js';
import { StateCache } from '../../src/engine/state-cache.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { Store as IncidentStore } from '../../src/engine/ports/index.js';
import type { RedisStore } from '../../src/store/redis.js';
import {
  alice,
  bob,
  carol,
  envelope,
  mallory,
  RESTORE_RUNBOOK,
  system,
  T0,
} from '../support/incident-fixtures.js';
import { deletePrefix, privateRedis, redisStore, testPrefix } from '../support/redis.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function replicas(count: number, url?: string): RedisStore[] {
  const prefix = testPrefix();
  const stores = Array.from({ length: count }, () => redisStore(prefix, url));
  cleanups.push(async () => {
    await Promise.all(stores.map((s) => s.close()));
    if (!url) await deletePrefix(prefix);
  });
  return stores;
}

async function run(
  store: IncidentStore,
  actor: Actor,
  minutes: number,
  command: Command,
  key?: string,
  cache?: StateCache,
) {
  return handle(store, envelope('inc-1', actor, T0 + minutes * 60_000, command), {
    ...(key ? { idempotencyKey: key } : {}),
    ...(cache ? { cache } : {}),
  });
}

/** Declared, parameters set, prerequisites passed, the first step done, the destructive step requested by alice. */
async function awaitingApproval(store: IncidentStore): Promise<string> {
  await run(store, alice, 0, {
    type: 'Declare',
    mode: 'incident',
    summary: 'payments deleted',
    channel: 'C1',
    runbook: { runbook: RESTORE_RUNBOOK, hash: 'h1' },
  });
  await run(store, alice, 1, { type: 'SetParams', params: { namespace: 'payments' } });
  await run(store, system, 2, { type: 'RecordPrerequisites', checks: [], restorePoint: T0 });
  await run(store, alice, 3, { type: 'Request', step: 'look', gate: 'run' });
  await run(store, system, 3, {
    type: 'RecordStepResult',
    step: 'look',
    attempt: 1,
    passed: true,
    result: {},
    durationMs: 1,
    evidence: [],
  });
  const requested = await run(store, alice, 4, { type: 'Request', step: 'restore', gate: 'run' });
  if (!requested.ok || !requested.state) throw new Error('setup failed');
  return bindingOf(requested.state, RESTORE_RUNBOOK.steps[1], 'run');
}

describe('handle() against the real Redis', () => {
  it('starts a step exactly once when 50 approvals race from 5 replicas', async () => {
    const stores = replicas(5);
    const binding = await awaitingApproval(stores[0] as RedisStore);
    const caches = stores.map(() => new StateCache()); // each replica folds and caches on its own
    const approvers = [bob, carol, { id: 'UDAVE', memberOf: ['responders', 'approvers'] }];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        run(
          stores[i % 5] as RedisStore,
          approvers[i % 3] as Actor,
          5,
          { type: 'Approve', step: 'restore', gate: 'run', binding },
          `approve-${i}`,
          caches[i % 5],
        ),
      ),
    );
    const { events } = await (stores[1] as RedisStore).read('inc-1');
    expect(events.filter((e) => e.type === 'StepStarted' && e.step === 'restore')).toHaveLength(1);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const result of results.filter((r) => !r.ok)) {
      expect(result.ok || result.rejection.message).toMatch(/no longer waiting|already approved/);
    }
  });

  it('treats a double click (same idempotency key) as one click, and the second click gets the first answer', async () => {
    const [store] = replicas(1) as [RedisStore];
    const binding = await awaitingApproval(store);
    const first = await run(
      store,
      bob,
      5,
      { type: 'Approve', step: 'restore', gate: 'run', binding },
      'slack-action-1',
    );
    const second = await run(
      store,
      bob,
      5,
      { type: 'Approve', step: 'restore', gate: 'run', binding },
      'slack-action-1',
    );
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(second).toMatchObject({ ok: true, duplicate: true, events: [] });
    const selfFirst = await run(store, alice, 6, { type: 'AddNote', text: '' }, 'note-1');
    const selfAgain = await run(store, alice, 6, { type: 'AddNote', text: '' }, 'note-1');
    expect(selfAgain).toEqual({ ...selfFirst, duplicate: true });
    expect((await store.read('inc-1')).events.filter((e) => e.type === 'ApprovalGranted')).toHaveLength(1);
  });

  it('rejects self-approval and outsiders, appending nothing but the audit record of the outsider', async () => {
    const [store] = replicas(1) as [RedisStore];
    const binding = await awaitingApproval(store);
    const before = (await store.read('inc-1')).events.length;
    expect(
      await run(store, alice, 5, { type: 'Approve', step: 'restore', gate: 'run', binding }),
    ).toMatchObject({ ok: false, rejection: { code: 'self-approval' } });
    expect((await store.read('inc-1')).events).toHaveLength(before);
    expect(
      await run(store, mallory, 5, { type: 'Approve', step: 'restore', gate: 'run', binding }),
    ).toMatchObject({ ok: false, rejection: { code: 'not-an-approver' } });
    const after = (await store.read('inc-1')).events;
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ type: 'AccessRefused', by: 'UMALLORY' });
  });

  it('keeps the incident across a Redis restart (append-only file) and carries on', async () => {
    const redis = await privateRedis();
    cleanups.push(redis.stop);
    const [store] = replicas(1, redis.url) as [RedisStore];
    const binding = await awaitingApproval(store);
    const before = (await store.read('inc-1')).events;
    await redis.restart();
    let after: readonly IncidentEvent[] = [];
    for (let i = 0; i < 50 && after.length === 0; i++) {
      after = await store.read('inc-1').then(
        (r) => r.events,
        () => [],
      );
      if (after.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(after).toEqual(before);
    const approved = await run(store, bob, 5, { type: 'Approve', step: 'restore', gate: 'run', binding });
    expect(approved.ok && approved.state?.steps.restore?.status).toBe('running');
  });
});

describe('replay', () => {
  it('any sequence of commands folds to the same state live as from a fresh read', async () => {
    const actors = [alice, bob, carol, mallory, system];
    const commands: fc.Arbitrary<Command> = fc.oneof(
      fc.constant<Command>({ type: 'SetParams', params: { namespace: 'payments' } }),
      fc.constant<Command>({ type: 'RecordPrerequisites', checks: [], restorePoint: T0 }),
      fc.constantFrom(...RESTORE_RUNBOOK.steps.map((s) => s.id)).chain((step) =>
        fc.oneof(
          fc.constantFrom<Command>(
            { type: 'Request', step, gate: 'run' },
            { type: 'Request', step, gate: 'skip' },
            { type: 'Request', step, gate: 'rollback' },
          ),
          fc.constant<Command>({
            type: 'RecordStepResult',
            step,
            attempt: 1,
            passed: true,
            result: {},
            durationMs: 1,
            evidence: [],
          }),
          fc.constant<Command>({ type: 'MarkInterrupted', step, attempt: 1, reason: 'lease' }),
        ),
      ),
      fc.constant<Command>({ type: 'AddNote', text: 'note' }),
      fc.constant<Command>({ type: 'Resolve' }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...actors), commands), { maxLength: 25 }),
        async (script) => {
          const store = new MemoryStore();
          // Half the commands go through a long-lived cache, as in a running replica, half read afresh.
          const cache = new StateCache();
          await run(store, alice, 0, {
            type: 'Declare',
            mode: 'drill',
            summary: 'drill',
            channel: 'C1',
            runbook: { runbook: RESTORE_RUNBOOK, hash: 'h1' },
          });
          for (const [i, [actor, command]] of script.entries()) {
            const result = await run(
              store,
              actor,
              i + 1,
              command,
              undefined,
              i % 2 === 0 ? cache : undefined,
            );
            // The state a command hands back is exactly what a fresh read of the stream folds to.
            if (result.ok) expect(replay('inc-1', (await store.read('inc-1')).events)).toEqual(result.state);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
