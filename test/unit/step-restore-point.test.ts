import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { loadRunbooks } from '../../src/runbooks/load.js';
import { copyOfShippedRunbooks, lineOf } from '../support/runbook-folder.js';
import { bindingOf } from '../../src/domain/binding.js';
import type { Actor, Command } from '../../src/domain/commands.js';
import type { IncidentEvent } from '../../src/domain/events.js';
import { Runbook } from '../../src/domain/runbook.js';
import { drillReport, reportMarkdown } from '../../src/domain/report.js';
import { handle } from '../../src/engine/handle.js';
import { MemoryStore } from '../../src/store/memory.js';
import { alice, bob, envelope, RESTORE_RUNBOOK, system, T0 } from '../support/incident-fixtures.js';

/** A failover in small: a backup check that would say 6 hours, a lag measured at the fence, a service check. */
const FAILOVER = Runbook.parse({
  ...RESTORE_RUNBOOK,
  id: 'test-failover',
  targets: { rto: '1h', rpo: '15m' },
  params: undefined,
  steps: [
    {
      id: 'lag-at-fence',
      title: 'Replication lag at the fence',
      action: 'prometheus.query',
      with: { query: 'max(pg_replication_lag_seconds)' },
      expect: { value: { lt: 900 } },
      restorePoint: 'lag',
    },
    {
      id: 'serves',
      title: 'Standby serves',
      action: 'shell',
      with: { command: ['true'] },
      restoresService: true,
    },
  ],
});

const MINUTE = 60_000;

async function failover(lag: { passed: boolean; result: Record<string, unknown> }) {
  const store = new MemoryStore();
  const run = async (actor: Actor, minutes: number, command: Command) => {
    const result = await handle(store, envelope('INC-1', actor, T0 + minutes * MINUTE, command));
    if (!result.ok) throw new Error(result.rejection.message);
    return result.state;
  };
  await run(alice, 0, {
    type: 'Declare',
    mode: 'incident',
    summary: 'us-east-1 is down',
    channel: 'C1',
    runbook: { runbook: FAILOVER, hash: 'h' },
  });
  await run(system, 1, { type: 'RecordPrerequisites', checks: [], restorePoint: T0 - 6 * 3600_000 });
  await run(alice, 10, { type: 'Request', step: 'lag-at-fence', gate: 'run' });
  const fenced = await run(system, 10.5, {
    type: 'RecordStepResult',
    step: 'lag-at-fence',
    attempt: 1,
    ...lag,
    durationMs: 200,
    evidence: [],
  });
  if (!fenced) throw new Error('no state');
  if (fenced.steps['lag-at-fence']?.status === 'failed') {
    const asked = await run(alice, 11, { type: 'Request', step: 'lag-at-fence', gate: 'skip' });
    if (!asked) throw new Error('no state');
    const binding = bindingOf(asked, FAILOVER.steps[0], 'skip');
    await run(bob, 12, { type: 'Approve', step: 'lag-at-fence', gate: 'skip', binding });
  }
  await run(alice, 20, { type: 'Request', step: 'serves', gate: 'run' });
  const restored = await run(system, 21, {
    type: 'RecordStepResult',
    step: 'serves',
    attempt: 1,
    passed: true,
    result: {},
    durationMs: 100,
    evidence: [],
  });
  if (!restored) throw new Error('no state');
  return { state: restored, events: (await store.read('INC-1')).events };
}

const finished = (events: readonly IncidentEvent[], step: string) =>
  events.find(
    (e): e is Extract<IncidentEvent, { type: 'StepFinished' }> =>
      e.type === 'StepFinished' && e.step === step,
  );

describe('a step that measures the restore point (restorePoint: lag)', () => {
  it("replaces the backup check's restore point: RPO is the lag at the fence, in the log, the state and the report", async () => {
    const { state, events } = await failover({ passed: true, result: { value: 42, series: 1 } });
    // The step started at minute 10: the standby held everything written up to 42 s before then.
    expect(finished(events, 'lag-at-fence')?.restorePoint).toEqual({
      point: T0 + 10 * MINUTE - 42_000,
      lagSeconds: 42,
    });
    expect(state.restorePoint).toBe(T0 + 10 * MINUTE - 42_000);
    expect(state.restorePointFrom).toEqual({ step: 'lag-at-fence', lagSeconds: 42 });
    expect(events.find((e) => e.type === 'ServiceRestored')).toMatchObject({
      rpoSeconds: 42,
      rtoSeconds: 21 * 60,
    });
    const report = drillReport(state, events);
    expect(report).toMatchObject({
      rpoSeconds: 42,
      rpoFrom: 'replication lag at "Replication lag at the fence"',
    });
    expect(reportMarkdown(report!, 'us-east-1 is down')).toContain(
      '- RPO: 42s (target 15m) ✅, from the replication lag at "Replication lag at the fence"',
    );
  });

  it('keeps a lag over the target as the RPO even though the step failed, and the report says what to fix', async () => {
    const { state, events } = await failover({ passed: false, result: { value: 1500, series: 1 } });
    expect(state.steps['lag-at-fence']?.status).toBe('skipped');
    expect(events.find((e) => e.type === 'ServiceRestored')).toMatchObject({ rpoSeconds: 1500 });
    expect(drillReport(state, events)?.fixes).toContain(
      'RPO 25m (the replication lag at the fence) is over the 15m target: alert on replication lag well before it reaches the target.',
    );
  });

  it("leaves the check's restore point when the step could not measure (no value)", async () => {
    const { state, events } = await failover({ passed: false, result: { series: 0 } });
    expect(finished(events, 'lag-at-fence')).not.toHaveProperty('restorePoint');
    expect(state.restorePointFrom).toBeUndefined();
    expect(events.find((e) => e.type === 'ServiceRestored')).toMatchObject({ rpoSeconds: 6 * 3600 });
    expect(drillReport(state, events)).not.toHaveProperty('rpoFrom');
  });

  it('refuses restorePoint: true on a step: a step says which it measures, time or lag', () => {
    const parsed = Runbook.safeParse({
      ...FAILOVER,
      steps: [{ ...FAILOVER.steps[0], restorePoint: true }, FAILOVER.steps[1]],
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/restorePoint/);
  });
});

describe('lint of a step restorePoint', () => {
  const FILE = 'region-failover.yaml';
  const LAG = "    restorePoint: lag # the incident's RPO is this lag, not a backup's age\n";
  async function errorsWith(edits: readonly [string, string][]) {
    const folder = await copyOfShippedRunbooks();
    try {
      for (const [from, to] of edits) await folder.edit(FILE, from, to);
      const library = await loadRunbooks(folder.dir);
      const errors = library.findings.filter((f) => f.severity === 'error');
      // The first restorePoint in the file is the one each test adds or moves.
      const firstLine = await lineOf(path.join(folder.dir, FILE), 'restorePoint: ');
      return { errors, firstLine };
    } finally {
      await folder.remove();
    }
  }

  it('rejects it on a step whose action gives no lag value, naming the actions that do', async () => {
    const { errors, firstLine } = await errorsWith([
      [LAG, ''],
      ['      weight: 0\n    verify:', '      weight: 0\n    restorePoint: lag\n    verify:'],
    ]);
    expect(errors.map((e) => e.message)).toEqual([
      'restorePoint: lag reads the result\'s value, which "route53.set-weight" does not give',
    ]);
    expect(errors[0]?.line).toBe(firstLine);
    expect(errors[0]?.hint).toMatch(/prometheus\.query/);
  });

  it('rejects a time from an action that gives none, and a manual step (a ticked box measures nothing)', async () => {
    const { errors } = await errorsWith([
      [LAG, '    restorePoint: time\n'],
      [
        "        - Primary's CronJobs and batch producers paused\n",
        "        - Primary's CronJobs and batch producers paused\n    restorePoint: lag\n",
      ],
    ]);
    expect(errors.map((e) => e.message).sort()).toEqual([
      'only one step can be the restore point',
      'restorePoint: lag reads the result\'s value, which "manual" does not give',
      'restorePoint: time reads the result\'s time, which "prometheus.query" does not give',
    ]);
  });

  it('rejects it on a step after the one that restores the service: RPO is taken by then', async () => {
    const { errors } = await errorsWith([
      [LAG, ''],
      [
        '    restoresService: true\n',
        '    restoresService: true\n  - id: late-lag\n    title: Lag after the fact\n    action: prometheus.query\n    with: { query: pg_replication_lag_seconds }\n    restorePoint: lag\n',
      ],
    ]);
    expect(errors.map((e) => e.message)).toEqual([
      'this step runs after the one that restores the service, when RPO is already taken',
    ]);
  });
});
