import { LIFEBOAT } from '../domain/events.js';
import type { IncidentStore } from '../store/port.js';
import { handle } from './handle.js';
import { StateCache } from './state-cache.js';

/**
 * Finds step attempts whose runner died (claimed, lease expired, no result) and records them as
 * interrupted; decide() re-runs them only when the runbook marks the step idempotent.
 */
export async function sweep(
  store: IncidentStore,
  now: () => number = Date.now,
  cache = new StateCache(),
): Promise<number> {
  let interrupted = 0;
  for (const incidentId of (await store.openIncidents()).keys()) {
    const { state } = await cache.load(store, incidentId);
    for (const [step, current] of Object.entries(state?.steps ?? {})) {
      if (
        current.status === 'running' &&
        (await store.leaseState(incidentId, step, current.attempt)) === 'abandoned'
      ) {
        const result = await handle(store, {
          incidentId,
          actor: { id: LIFEBOAT, memberOf: [] },
          now: now(),
          command: {
            type: 'MarkInterrupted',
            step,
            attempt: current.attempt,
            reason: 'the replica running it stopped answering (lease expired)',
          },
        });
        if (result.ok) interrupted++;
      }
      if (
        current.status === 'rolling-back' &&
        (await store.leaseState(incidentId, `rollback:${step}`, current.attempt)) === 'abandoned'
      ) {
        await handle(store, {
          incidentId,
          actor: { id: LIFEBOAT, memberOf: [] },
          now: now(),
          command: {
            type: 'RecordRollback',
            step,
            passed: false,
            result: {},
            error: 'the replica running the rollback stopped answering',
          },
        });
      }
    }
  }
  return interrupted;
}
