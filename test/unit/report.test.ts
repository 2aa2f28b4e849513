import { describe, expect, it } from '@jest/globals';
import { bindingOf } from '../../src/domain/binding.js';
import type { Actor, Command } from '../../src/domain/commands.js';
import { replay } from '../../src/domain/incident.js';
import { readinessOf, readinessTable, type DrillRecord } from '../../src/domain/readiness.js';
import { drillReport, reportMarkdown } from '../../src/domain/report.js';
import { handle } from '../../src/engine/handle.js';
import { MemoryStore } from '../../src/store/memory.js';
import { alice, bob, envelope, RESTORE_RUNBOOK, system, T0 } from '../support/incident-fixtures.js';

async function drill(restoreMinutes: number, skipRestore = false) {
  const store = new MemoryStore();
  const run = async (actor: Actor, minutes: number, command: Command) => {
    const result = await handle(store, envelope('DRILL-1', actor, T0 + minutes * 60_000, command));
    if (!result.ok) throw new Error(result.rejection.message);
    return result.state;
  };
  await run(alice, 0, {
    type: 'Declare',
    mode: 'drill',
    summary: 'monthly drill',
    channel: 'C1',
    runbook: { runbook: RESTORE_RUNBOOK, hash: 'h' },
  });
  await run(alice, 1, { type: 'SetParams', params: { namespace: 'payments' } });
  await run(system, 2, { type: 'RecordPrerequisites', checks: [], restorePoint: T0 - 2 * 3600_000 });
  await run(alice, 3, { type: 'Request', step: 'look', gate: 'run' });
  await run(system, 4, {
    type: 'RecordStepResult',
    step: 'look',
    attempt: 1,
    passed: true,
    result: {},
    durationMs: 30_000,
    evidence: [],
  });
  const requested = await run(alice, 5, {
    type: 'Request',
    step: 'restore',
    gate: skipRestore ? 'skip' : 'run',
  });
  if (!requested) throw new Error('no state');
  await run(bob, 6, {
    type: 'Approve',
    step: 'restore',
    gate: skipRestore ? 'skip' : 'run',
    binding: bindingOf(requested, RESTORE_RUNBOOK.steps[1], skipRestore ? 'skip' : 'run'),
  });
  if (!skipRestore) {
    await run(system, restoreMinutes, {
      type: 'RecordStepResult',
      step: 'restore',
      attempt: 1,
      passed: true,
      result: {},
      durationMs: (restoreMinutes - 6) * 60_000,
      evidence: [{ title: 'pods up', passed: true, result: { ready: true }, failures: [] }],
    });
  }
  await run(alice, restoreMinutes + 1, { type: 'Request', step: 'smoke', gate: 'run' });
  await run(system, restoreMinutes + 2, {
    type: 'RecordStepResult',
    step: 'smoke',
    attempt: 1,
    passed: true,
    result: {},
    durationMs: 1000,
    evidence: [],
  });
  await run(alice, restoreMinutes + 3, { type: 'Resolve' });
  const events = (await store.read('DRILL-1')).events;
  const state = replay('DRILL-1', events);
  if (!state) throw new Error('no state');
  return { state, events, report: drillReport(state, events) };
}

describe('the drill report', () => {
  it('measures RTO and RPO from the same events as the timeline, and passes a drill within its targets', async () => {
    const { report, events } = await drill(20);
    const declared = events[0]?.at ?? 0;
    const restored = events.find((e) => e.type === 'ServiceRestored')?.at ?? 0;
    expect(report).toMatchObject({
      passed: true,
      rtoSeconds: (restored - declared) / 1000,
      rtoTarget: 1800,
      rpoSeconds: 7200,
      rpoTarget: 86_400,
      fixes: [],
    });
    expect(report?.steps.map((s) => [s.id, s.outcome, s.attempts])).toEqual([
      ['look', 'passed', 1],
      ['restore', 'passed', 1],
      ['smoke', 'passed', 1],
    ]);
    const markdown = reportMarkdown(report!, 'Restore for tests');
    expect(markdown).toContain('**✅ PASSED**');
    expect(markdown).toContain('- RTO: 22m (target 30m) ✅');
    expect(markdown).toContain('- ✅ pods up');
  });

  it('fails a drill over its RTO target or with a skipped step, and says what to fix', async () => {
    const slow = (await drill(40)).report;
    expect(slow?.passed).toBe(false);
    expect(slow?.fixes).toEqual([expect.stringMatching(/^RTO 42m is over the 30m target/)]);
    const skipped = (await drill(7, true)).report;
    expect(skipped?.passed).toBe(false);
    expect(skipped?.fixes).toContainEqual(
      'Step "Restore" was skipped: a drill that skips a step has not proved it.',
    );
  });
});

describe('readiness', () => {
  const runbooks = [
    { id: 'a', title: 'A' },
    { id: 'b', title: 'B' },
    { id: 'c', title: 'C' },
    { id: 'd', title: 'D' },
  ];
  const day = 86_400_000;
  const now = T0;
  const records: DrillRecord[] = [
    { incident: 'D1', runbook: 'a', passed: true, endedAt: now - 10 * day, rtoSeconds: 600, rtoTarget: 1800 },
    { incident: 'D2', runbook: 'b', passed: true, endedAt: now - 91 * day, rtoSeconds: 600, rtoTarget: 1800 },
    { incident: 'D3', runbook: 'c', passed: true, endedAt: now - 20 * day, rtoSeconds: 600, rtoTarget: 1800 },
    { incident: 'D4', runbook: 'c', passed: false, endedAt: now - 5 * day, rtoTarget: 1800 },
  ];

  it('warns about runbooks not drilled successfully in 90 days, never drilled, or whose last drill failed', () => {
    const rows = readinessOf(runbooks, records, now);
    expect(rows.map((r) => [r.runbook, r.overdue, r.warning ?? 'ready'])).toEqual([
      ['a', false, 'ready'],
      ['b', true, 'last successful drill 91 days ago (limit 90)'],
      ['c', true, 'last drill (D4) failed'],
      ['d', true, 'never drilled successfully'],
    ]);
    expect(readinessTable(rows)).toContain('| `a` | 2026-11-16 | 10m of 30m | ✅ ready |');
  });
});
