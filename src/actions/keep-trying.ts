import { setTimeout as sleep } from 'node:timers/promises';
import { formatSeconds } from '../domain/duration.js';

/** One look at the world: whether it passed, and what a person would want to read about it. */
export type Attempt<T> = { readonly value: T; readonly passed: boolean; readonly note: string };

export type KeepTrying<T> = {
  readonly withinMs: number;
  readonly signal: AbortSignal;
  readonly progress: (line: string) => void;
  readonly attempt: () => Promise<Attempt<T>>;
};

const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 5000;
/** A line at least this often while nothing changes, so a watcher knows Lifeboat is still asking. */
const QUIET_LINE_MS = 30_000;

/**
 * Asks until an attempt passes, time runs out or the run is stopped, pausing with backoff in
 * between; the last attempt's value is returned either way. An attempt that throws ends it.
 */
export async function keepTrying<T>(options: KeepTrying<T>): Promise<Attempt<T> & { attempts: number }> {
  const deadline = Date.now() + options.withinMs;
  let pause = FIRST_PAUSE_MS;
  let attempts = 0;
  let lastNote = '';
  let lastLineAt = 0;
  for (;;) {
    const outcome = await options.attempt();
    attempts += 1;
    const left = deadline - Date.now();
    if (outcome.passed || left <= 0 || options.signal.aborted) return { ...outcome, attempts };
    if (outcome.note !== lastNote || Date.now() - lastLineAt >= QUIET_LINE_MS) {
      options.progress(`${outcome.note}; asking again (${formatSeconds(left / 1000)} left)`);
      lastNote = outcome.note;
      lastLineAt = Date.now();
    }
    try {
      await sleep(Math.min(pause, left), undefined, { signal: options.signal });
    } catch {
      return { ...outcome, attempts };
    }
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
  }
}
