import { formatSeconds } from './duration.js';

/** One finished drill, as kept for readiness. */
export type DrillRecord = {
  readonly incident: string;
  readonly runbook: string;
  readonly passed: boolean;
  readonly endedAt: number;
  readonly rtoSeconds?: number;
  readonly rtoTarget: number;
};

export type Readiness = {
  readonly runbook: string;
  readonly title: string;
  readonly lastSuccess?: DrillRecord;
  readonly lastDrill?: DrillRecord;
  readonly overdue: boolean;
  readonly warning?: string;
};

/** A runbook is ready when it passed a drill in the last quarter and its last drill did not fail. */
export const READY_WITHIN_DAYS = 90;

export function readinessOf(
  runbooks: readonly { id: string; title: string }[],
  drills: readonly DrillRecord[],
  now: number,
): Readiness[] {
  return runbooks.map(({ id, title }) => {
    const mine = drills.filter((d) => d.runbook === id).sort((a, b) => a.endedAt - b.endedAt);
    const lastDrill = mine.at(-1);
    const lastSuccess = mine.filter((d) => d.passed).at(-1);
    const age = lastSuccess ? (now - lastSuccess.endedAt) / 86_400_000 : Infinity;
    const warning = !lastSuccess
      ? 'never drilled successfully'
      : age > READY_WITHIN_DAYS
        ? `last successful drill ${Math.floor(age)} days ago (limit ${READY_WITHIN_DAYS})`
        : lastDrill && !lastDrill.passed
          ? `last drill (${lastDrill.incident}) failed`
          : undefined;
    return {
      runbook: id,
      title,
      ...(lastSuccess ? { lastSuccess } : {}),
      ...(lastDrill ? { lastDrill } : {}),
      overdue: warning !== undefined,
      ...(warning ? { warning } : {}),
    };
  });
}

export function readinessTable(rows: readonly Readiness[]): string {
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);
  return [
    '| runbook | last successful drill | measured RTO | status |',
    '|---|---|---|---|',
    ...rows.map((r) => {
      const rto =
        r.lastSuccess?.rtoSeconds === undefined
          ? '—'
          : `${formatSeconds(r.lastSuccess.rtoSeconds)} of ${formatSeconds(r.lastSuccess.rtoTarget)}`;
      return `| \`${r.runbook}\` | ${r.lastSuccess ? day(r.lastSuccess.endedAt) : 'never'} | ${rto} | ${r.warning ? `⚠️ ${r.warning}` : '✅ ready'} |`;
    }),
  ].join('\n');
}
