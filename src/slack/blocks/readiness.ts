import { formatSeconds } from '../../domain/duration.js';
import { readinessOf, READY_WITHIN_DAYS, type DrillRecord } from '../../domain/readiness.js';
import type { Runbook } from '../../domain/runbook.js';
import type { RefusedRunbook } from '../../runbooks/load.js';
import { inert, inlineCode } from './text.js';

/** The runbooks a readiness table is about: id, title and targets. */
export type RunbookSummary = Pick<Runbook, 'id' | 'title' | 'targets'>;

/** One line per runbook: ✅ or ⚠️, its targets, its last successful drill with the measured RTO, and why it is not ready. */
export function readinessLines(
  runbooks: readonly RunbookSummary[],
  drills: readonly DrillRecord[],
  now: number,
): string[] {
  const readiness = readinessOf(runbooks, drills, now);
  return runbooks.map((runbook, i) => {
    const r = readiness[i];
    const last = r?.lastSuccess
      ? `last passed ${new Date(r.lastSuccess.endedAt).toISOString().slice(0, 10)}${r.lastSuccess.rtoSeconds !== undefined ? `, RTO ${formatSeconds(r.lastSuccess.rtoSeconds)} of ${runbook.targets.rto}` : ''}`
      : 'never drilled';
    return `${r?.warning ? '⚠️' : '✅'} ${inlineCode(runbook.id)} — ${inert(runbook.title)} (RTO ${inert(runbook.targets.rto)}, RPO ${inert(runbook.targets.rpo)}) · ${last}${r?.warning ? ` · *${inert(r.warning)}*` : ''}`;
  });
}

/** What to do about the table, for the foot of it. */
export function readinessHint(command: string): string {
  return `Drill one with \`${command} drill &lt;runbook-id&gt;\`. A runbook is ready when it passed a drill in the last ${READY_WITHIN_DAYS} days and its last drill did not fail.`;
}

export const NO_RUNBOOKS = 'No runbooks are loaded; check LIFEBOAT_RUNBOOKS and run `lifeboat lint`.';

/** Runbooks lint refused: named with their first error, so the author knows what to fix. */
export function refusedLines(refused: ReadonlyMap<string, RefusedRunbook>): string[] {
  return [...refused.values()].map((r) => {
    const first = r.errors[0];
    const where = first ? `${r.file}:${first.line}: ${first.message}` : r.file;
    return `⛔ ${inlineCode(r.id)} is not loaded (${r.errors.length} lint error${r.errors.length === 1 ? '' : 's'}): ${inert(where)}. Fix it and run \`lifeboat lint\`.`;
  });
}
