import { LIFEBOAT } from '../domain/events.js';
import type { EventLog, LeaseState, StepLeases } from './ports/index.js';
import { handle } from './handle.js';
import { StateCache } from './state-cache.js';
import { abandonedCommand, leaseOf, MAX_RERUNS, rerunsWhenAbandoned, workDue, type WorkKey } from './work.js';

export type SweepOptions = {
  readonly now?: () => number;
  readonly cache?: StateCache;
  /** Starts an incident's due work again on a live replica (the executor's resume). */
  readonly resume?: (incidentId: string) => Promise<void>;
};

/**
 * Finds work whose runner died (claimed, lease expired, no result). A step attempt is recorded as
 * interrupted (decide() re-runs it only when the runbook marks it idempotent), a rollback as failed;
 * read-only work (probes, prerequisite checks) is simply started again. Returns how many were found.
 */
export async function sweep(store: EventLog & StepLeases, options: SweepOptions = {}): Promise<number> {
  const { now = Date.now, cache = new StateCache(), resume } = options;
  let found = 0;
  for (const incidentId of (await store.openIncidents()).keys()) {
    const { state } = await cache.load(store, incidentId);
    if (!state) continue;
    let rerun = false;
    for (const work of workDue(state)) {
      if (!(await abandoned(store, incidentId, work))) continue;
      const command = abandonedCommand(work);
      if (command) {
        const result = await handle(store, {
          incidentId,
          actor: { id: LIFEBOAT, memberOf: [] },
          now: now(),
          command,
        });
        if (result.ok && work.kind === 'step') found++;
      } else {
        rerun = true;
        found++;
      }
    }
    if (rerun && resume) await resume(incidentId);
  }
  return found;
}

/**
 * Whether the latest run of this work was claimed and its runner is gone. Read-only work whose last
 * allowed re-run died too is left to a person (set the parameters again).
 */
async function abandoned(store: StepLeases, incidentId: string, work: WorkKey): Promise<boolean> {
  const runs = rerunsWhenAbandoned(work) ? MAX_RERUNS : 1;
  let latest: LeaseState = 'unclaimed';
  let claimed = 0;
  for (let run = 1; run <= runs; run++) {
    const { key, attempt } = leaseOf(work, run);
    const lease = await store.leaseState(incidentId, key, attempt);
    if (lease === 'unclaimed') break;
    [latest, claimed] = [lease, run];
  }
  return latest === 'abandoned' && (runs === 1 || claimed < runs);
}
