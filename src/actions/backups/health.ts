import { durationSeconds } from '../../domain/duration.js';
import type { ActionRegistry } from '../../engine/action-port.js';
import { runCall, type CallSpec } from '../../engine/run-call.js';
import { implement } from '../contract.js';
import { backupHealthContract } from './health-contract.js';

export { backupHealthContract };

type Row = { readonly check: string; readonly passed: boolean; readonly detail: string };
const list = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
/** A result field in words: scalars as they are, anything else as JSON. */
const shown = (value: unknown, fallback: string): string =>
  value === undefined || value === null
    ? fallback
    : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);
/** A cell of a Markdown table: one line, no column breaks. */
const cell = (text: string): string => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 300);

export function healthTable(rows: readonly Row[]): string {
  return [
    '| check | result | detail |',
    '|---|---|---|',
    ...rows.map((r) => `| ${cell(r.check)} | ${r.passed ? '✅ pass' : '❌ FAIL'} | ${cell(r.detail)} |`),
  ].join('\n');
}

/**
 * Runs each backup check through the registry (the same actions and `expect` judging a step has),
 * every one even when an earlier one fails, so one run shows everything that is wrong.
 */
export const backupHealth = (registry: () => ActionRegistry, runbookIds: () => readonly string[]) =>
  implement(backupHealthContract, async (input, context) => {
    const snapshotAge = durationSeconds(input.maxSnapshotAge);
    const drillAge = durationSeconds(input.maxDrillAge);
    const prefix = input.etcdPrefix ?? '';
    type Check = [string, CallSpec, (result: Readonly<Record<string, unknown>>) => string];
    const checks: Check[] = [];
    for (const name of list(input.storageLocations))
      checks.push([
        `storage location ${name} Available, validated within 1h`,
        {
          action: 'velero.bsl-available',
          with: { cluster: input.cluster, name },
          expect: { available: true, lastValidationAgeSeconds: { lt: 3600 } },
        },
        (r) => `${shown(r.phase, '?')}, validated ${shown(r.lastValidationAgeSeconds, '?')}s ago`,
      ]);
    if (input.schedule)
      checks.push([
        `Velero schedule ${input.schedule}: last backup Completed within a day`,
        {
          action: 'velero.schedule-status',
          with: { cluster: input.cluster, schedule: input.schedule },
          expect: {
            schedulePhase: 'Enabled',
            phase: 'Completed',
            errors: 0,
            ageSeconds: { lt: 90000 },
            paused: false,
          },
        },
        (r) => `${shown(r.phase, '?')}, ${shown(r.ageSeconds, '?')}s old`,
      ]);
    checks.push([
      `newest etcd snapshot under s3://${input.etcdBucket}/${prefix}: within ${input.maxSnapshotAge}, not empty, sha256 metadata`,
      {
        action: 's3.latest-object',
        with: { bucket: input.etcdBucket, prefix },
        expect: {
          ageSeconds: { lt: snapshotAge },
          size: { gt: 0 },
          'metadata.sha256': { matches: '^[0-9a-f]{64}$' },
        },
      },
      (r) => `${shown(r.key, '?')}: ${shown(r.ageSeconds, '?')}s old, ${shown(r.size, '?')} bytes`,
    ]);
    checks.push([
      `snapshot bucket ${input.etcdBucket} versioned, expiring old snapshots`,
      {
        action: 's3.bucket-protection',
        with: { bucket: input.etcdBucket, prefix },
        expect: { protected: true },
      },
      () => 'versioning and lifecycle in place',
    ]);
    const runbooks = input.runbooks.trim() === 'all' ? [...runbookIds()] : list(input.runbooks);
    for (const runbook of runbooks)
      checks.push([
        `${runbook}: last drill passed within ${input.maxDrillAge}`,
        {
          action: 'drill.last-result',
          with: { runbook },
          expect: { passed: true, ageSeconds: { lt: drillAge } },
        },
        (r) => `${shown(r.incident, '?')}, ${shown(r.ageSeconds, '?')}s ago`,
      ]);
    const rows: Row[] = [];
    const run = async ([check, call, words]: Check) => {
      const outcome = await runCall(registry(), { timeout: '2m', ...call }, () => undefined, context);
      const why = [outcome.error, ...outcome.failures].filter(Boolean).join('; ');
      rows.push({ check, passed: outcome.passed, detail: outcome.passed ? words(outcome.result) : why });
      return outcome;
    };
    for (const check of checks) {
      const outcome = await run(check);
      // The newest snapshot found: is it this cluster's (metadata identity, or its own contents)?
      if (
        check[1].action === 's3.latest-object' &&
        input.sourceCluster &&
        typeof outcome.result.key === 'string'
      )
        await run([
          `newest etcd snapshot comes from ${input.sourceCluster}`,
          {
            action: 'etcd.snapshot-identity',
            with: { bucket: input.etcdBucket, key: outcome.result.key, cluster: input.sourceCluster },
            expect: { matches: true },
            timeout: '30m',
          },
          (r) => `${shown(r.evidence, '?')}: ${shown(r.expectedFrom, '')}`,
        ]);
    }
    const failed = rows.filter((r) => !r.passed);
    const result = {
      passed: failed.length === 0,
      failed: failed.length,
      checks: rows,
      table: healthTable(rows),
    };
    if (failed.length === 0) return { completed: true, result };
    return {
      completed: true,
      result,
      error: `${failed.length} of ${rows.length} backup checks failed: ${failed.map((r) => r.check).join('; ')}`,
    };
  });
