import { setTimeout as sleep } from 'node:timers/promises';
import { KubeError, rbacName, type Operation } from './errors.js';

/** client-go's default for one request (rest/request.go, NewRequest: `maxRetries: 10`). */
export const MAX_ATTEMPTS = 10;
/** However often the API server asks, one call waits at most this long in all before it fails. */
export const RETRY_BUDGET_MS = 60_000;
/** Without Retry-After (client-go would not retry then), pause 0.5 s, 1 s, 2 s … up to 8 s. */
const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 8_000;

/** `2 s`, `0.5 s`: waits are short and said exactly. */
const inSeconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

export type RetryOptions = {
  readonly signal: AbortSignal;
  readonly progress: (line: string) => void;
  /** The step's own deadline (epoch ms): no wait runs past it. */
  readonly deadline: number;
};

/**
 * Whether asking again is safe and may help: 429 and 5xx (client-go rest/request.go checkWait), for
 * reads, watches and idempotent writes. A create is repeated only after a 429, which the API
 * server's max-in-flight and priority-and-fairness filters answer before any handler runs
 * (apiserver pkg/server/filters); after a 5xx it may have happened, so it is not repeated.
 */
export function mayRetry(op: Operation, error: KubeError): boolean {
  const status = error.status;
  if (typeof status !== 'number' || (status !== 429 && status < 500)) return false;
  if (op.verb === 'get' || op.verb === 'list' || op.verb === 'watch') return true;
  if (op.verb === 'patch') return op.idempotent === true;
  return status === 429;
}

/** How long to wait before attempt `next` (2, 3 …): what Retry-After said, else a doubling pause. */
export const retryDelayMs = (error: KubeError, next: number): number =>
  error.retryAfterSeconds !== undefined
    ? error.retryAfterSeconds * 1000
    : Math.min(FIRST_PAUSE_MS * 2 ** (next - 2), LONGEST_PAUSE_MS);

/** `list deployments.apps: API server asked to retry after 2 s (429), attempt 2 of 10`. */
function retryLine(op: Operation, error: KubeError, delayMs: number, next: number): string {
  const what = `${op.verb} ${rbacName(op.resource)}`;
  const wait = inSeconds(delayMs);
  const why =
    error.retryAfterSeconds !== undefined
      ? `API server asked to retry after ${wait} (${error.status})`
      : `API server answered ${error.status}; asking again in ${wait}`;
  return `${what}: ${why}, attempt ${next} of ${MAX_ATTEMPTS}`;
}

/**
 * Runs `attempt` (which throws KubeErrors already put in words) until it succeeds, fails for good,
 * or the bounds run out: MAX_ATTEMPTS, RETRY_BUDGET_MS of waiting, the step's deadline, a stop.
 * Each wait is said in `progress`, and the final error says how often it was asked.
 */
export async function withRetries<T>(
  op: Operation,
  attempt: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  let waited = 0;
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof KubeError) || !mayRetry(op, error)) throw error;
      const delay = retryDelayMs(error, tries + 1);
      const gaveUp = (why: string) =>
        new KubeError(`${error.message} (${why})`, error.transient, error.status);
      if (tries >= MAX_ATTEMPTS) throw gaveUp(`asked ${tries} times`);
      const asked = `asked ${tries} ${tries === 1 ? 'time' : 'times'}`;
      const next = `the next try in ${inSeconds(delay)}`;
      if (Date.now() + delay > options.deadline)
        throw gaveUp(`${asked}; ${next} would be past the step's timeout`);
      if (waited + delay > RETRY_BUDGET_MS)
        throw gaveUp(
          `${asked}; ${next} would pass the ${inSeconds(RETRY_BUDGET_MS)} one request may wait in all`,
        );
      options.progress(retryLine(op, error, delay, tries + 1));
      try {
        await sleep(delay, undefined, { signal: options.signal });
      } catch {
        throw error;
      }
      waited += delay;
    }
  }
}
