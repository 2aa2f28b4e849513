import { expect, it } from '@jest/globals';
import type { Locks, StepLeases } from '../../../src/engine/ports/index.js';
import { contract, pass } from './stores.js';

contract<StepLeases>('step leases', (fresh) => {
  it('lets exactly one owner claim a step attempt, and tells an expired lease from a live one', async () => {
    const leases = fresh();
    expect(await leases.claimStep('inc-1', 'restore', 1, 'replica-a', 150)).toBe('claimed');
    expect(await leases.claimStep('inc-1', 'restore', 1, 'replica-b', 150)).toBe('running-elsewhere');
    expect(await leases.heartbeat('inc-1', 'restore', 1, 'replica-b', 150)).toBe(false);
    expect(await leases.heartbeat('inc-1', 'restore', 1, 'replica-a', 150)).toBe(true);
    await pass(300);
    expect(await leases.claimStep('inc-1', 'restore', 1, 'replica-b', 150)).toBe('abandoned');
    expect(await leases.heartbeat('inc-1', 'restore', 1, 'replica-a', 150)).toBe(false);
    expect(await leases.claimStep('inc-1', 'restore', 2, 'replica-b', 150)).toBe('claimed');
  });

  it('tells the sweeper whether an attempt is unclaimed, alive or abandoned, without claiming it', async () => {
    const leases = fresh();
    expect(await leases.leaseState('inc-1', 'restore', 1)).toBe('unclaimed');
    expect(await leases.leaseState('inc-1', 'restore', 1)).toBe('unclaimed');
    await leases.claimStep('inc-1', 'restore', 1, 'replica-a', 100);
    expect(await leases.leaseState('inc-1', 'restore', 1)).toBe('alive');
    await pass(200);
    expect(await leases.leaseState('inc-1', 'restore', 1)).toBe('abandoned');
  });

  it('lets the owner release its lease, and no one else', async () => {
    const leases = fresh();
    await leases.claimStep('inc-1', 'restore', 1, 'replica-a', 10_000);
    await leases.releaseLease('inc-1', 'restore', 1, 'replica-b');
    expect(await leases.leaseState('inc-1', 'restore', 1)).toBe('alive');
    await leases.releaseLease('inc-1', 'restore', 1, 'replica-a');
    expect(await leases.leaseState('inc-1', 'restore', 1)).toBe('abandoned');
    expect(await leases.claimStep('inc-1', 'restore', 1, 'replica-b', 10_000)).toBe('abandoned');
  });
});

contract<Locks>('locks', (fresh) => {
  it('holds a short lock for one owner across replicas, re-entrant for it, free once it lapses', async () => {
    const locks = fresh();
    expect(await locks.lock('presenter:inc-m', 'replica-a', 100)).toBe(true);
    expect(await locks.lock('presenter:inc-m', 'replica-b', 100)).toBe(false);
    expect(await locks.lock('presenter:inc-m', 'replica-a', 100)).toBe(true);
    await locks.unlock('presenter:inc-m', 'replica-b');
    expect(await locks.lock('presenter:inc-m', 'replica-b', 100)).toBe(false);
    await locks.unlock('presenter:inc-m', 'replica-a');
    expect(await locks.lock('presenter:inc-m', 'replica-b', 100)).toBe(true);
    await pass(150);
    expect(await locks.lock('presenter:inc-m', 'replica-a', 100)).toBe(true);
  });
});
