import type { ActionResult } from './events.js';

/**
 * What a step's result says about the newest data the recovery keeps (a spec extension):
 * `time`, a point in time (a backup's), or `lag`, seconds of replication lag when the step ran.
 */
export const STEP_RESTORE_POINTS = ['time', 'lag'] as const;
export type StepRestorePointKind = (typeof STEP_RESTORE_POINTS)[number];

/** The result field each kind reads; lint requires the step's action to give it. */
export const RESTORE_POINT_FIELD: Readonly<Record<StepRestorePointKind, string>> = {
  time: 'time',
  lag: 'value',
};

/** A step's restore point as the event log keeps it: the point, and the lag it came from if any. */
export type StepRestorePoint = { readonly point: number; readonly lagSeconds?: number };

/** The result's `time` (ISO) as epoch ms, or undefined. */
function timeOf(result: ActionResult): number | undefined {
  const time = typeof result.time === 'string' ? Date.parse(result.time) : NaN;
  return Number.isNaN(time) ? undefined : time;
}

/** A prerequisite check's restore point: the backup's own time when the action reports one, else when the check ran (live data). */
export function checkRestorePoint(result: ActionResult, ranAt: number): number {
  return timeOf(result) ?? ranAt;
}

/** A step's restore point from its result, or undefined when the result holds no usable value. */
export function stepRestorePoint(
  kind: StepRestorePointKind,
  result: ActionResult,
  ranAt: number,
): StepRestorePoint | undefined {
  if (kind === 'time') {
    const time = timeOf(result);
    return time === undefined ? undefined : { point: time };
  }
  const lag = result[RESTORE_POINT_FIELD.lag];
  if (typeof lag !== 'number' || !Number.isFinite(lag) || lag < 0) return undefined;
  return { point: ranAt - Math.round(lag * 1000), lagSeconds: lag };
}

/**
 * RPO: with a lag, the lag itself (what the standby lacked when writes stopped at the fence);
 * else the declaration minus the restore point (what was written since the backup).
 */
export function rpoSecondsOf(state: {
  readonly declaredAt: number;
  readonly restorePoint?: number;
  readonly restorePointFrom?: { readonly lagSeconds?: number };
}): number | undefined {
  const lag = state.restorePointFrom?.lagSeconds;
  if (lag !== undefined) return Math.round(lag);
  if (state.restorePoint === undefined) return undefined;
  return Math.max(0, Math.round((state.declaredAt - state.restorePoint) / 1000));
}
