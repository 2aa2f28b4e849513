import type { ActionResult } from './events.js';

/**
 * What a decision-tree probe found, in the words a responder acts on: everything answers
 * (healthy), it serves but a part is down (degraded, e.g. one etcd member of three), it answered
 * and is broken (unhealthy), or Lifeboat could not ask (unknown, with why). Only the first three
 * are definite; an unknown result never suggests an answer.
 */
export const PROBE_VERDICTS = ['healthy', 'degraded', 'unhealthy', 'unknown'] as const;
export type ProbeVerdict = (typeof PROBE_VERDICTS)[number];

export type ProbeReading = {
  readonly verdict: ProbeVerdict;
  /** Why it is not healthy: what is down, or why Lifeboat could not ask. */
  readonly why?: string;
};

/** A probe's call as the engine saw it: whether the action ran to an answer, and how it was judged. */
export type ProbeCall = {
  readonly completed: boolean;
  readonly passed: boolean;
  readonly result: ActionResult;
  readonly error?: string;
  /** The probe's `expect` clauses that did not hold. */
  readonly failures: readonly string[];
};

export const isProbeVerdict = (value: unknown): value is ProbeVerdict =>
  typeof value === 'string' && (PROBE_VERDICTS as readonly string[]).includes(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/**
 * Reads a probe's call: an action that could not run is unknown; an action that reports its own
 * `verdict` (etcd.endpoint-health does) is read by it, unless the probe's `expect` fails; any
 * other action passes (healthy) or fails (unhealthy).
 */
export function readProbe(call: ProbeCall): ProbeReading {
  const own = call.result.verdict;
  const why = text(call.result.why) ?? call.error;
  if (!call.completed) return { verdict: 'unknown', why: call.error ?? 'the probe could not run' };
  if (own === 'unknown') return { verdict: 'unknown', why: why ?? 'the probe could not tell' };
  if (call.failures.length > 0) return { verdict: 'unhealthy', why: call.failures.join('; ') };
  if (isProbeVerdict(own))
    return own === 'healthy' ? { verdict: own } : { verdict: own, ...(why ? { why } : {}) };
  if (call.passed) return { verdict: 'healthy' };
  return { verdict: 'unhealthy', ...(why ? { why } : {}) };
}

/** A probe recorded before verdicts existed: a pass is healthy, anything else could have been "could not ask". */
export function legacyReading(passed: boolean, failures: readonly string[]): ProbeReading {
  return passed
    ? { verdict: 'healthy' }
    : { verdict: 'unknown', why: failures.join('; ') || 'recorded without a verdict' };
}
