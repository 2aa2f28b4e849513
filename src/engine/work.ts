import type { Command } from '../domain/commands.js';
import { PREFLIGHT, type IncidentState } from '../domain/incident.js';
import { isManual } from '../domain/runbook.js';

/**
 * The background work of an incident, one vocabulary for the executor that does it and the sweeper
 * that notices when its runner died. A new kind breaks the build at every switch below.
 */
export type WorkKey =
  | { readonly kind: 'probe'; readonly node: string }
  | { readonly kind: 'preflight'; readonly paramsVersion: number }
  | { readonly kind: 'step'; readonly step: string; readonly attempt: number }
  | { readonly kind: 'rollback'; readonly step: string; readonly attempt: number };

/** Read-only work whose runner died is run again, this many times at most. */
export const MAX_RERUNS = 3;

/** The store's lease of one run: steps and rollbacks carry the domain's attempt; read-only work numbers its own re-runs. */
export function leaseOf(work: WorkKey, rerun = 1): { readonly key: string; readonly attempt: number } {
  switch (work.kind) {
    case 'probe':
      return { key: `probe:${work.node}`, attempt: rerun };
    case 'preflight':
      return { key: `${PREFLIGHT}@${work.paramsVersion}`, attempt: rerun };
    case 'step':
      return { key: work.step, attempt: work.attempt };
    case 'rollback':
      return { key: `rollback:${work.step}`, attempt: work.attempt };
  }
}

/** Whether a dead runner's work may simply run again: only what reads. */
export function rerunsWhenAbandoned(work: WorkKey): boolean {
  switch (work.kind) {
    case 'probe':
    case 'preflight':
      return true;
    case 'step':
    case 'rollback':
      return false;
  }
}

/** What the rules record for work whose runner died, when it cannot simply run again. */
export function abandonedCommand(work: WorkKey): Command | undefined {
  switch (work.kind) {
    case 'probe':
    case 'preflight':
      return undefined;
    case 'step':
      return {
        type: 'MarkInterrupted',
        step: work.step,
        attempt: work.attempt,
        reason: 'the replica running it stopped answering (lease expired)',
      };
    case 'rollback':
      return {
        type: 'RecordRollback',
        step: work.step,
        passed: false,
        result: {},
        error: 'the replica running the rollback stopped answering',
      };
  }
}

/** The work this state asks for now; a manual step is work only once a person pressed Done. */
export function workDue(state: IncidentState): WorkKey[] {
  const work: WorkKey[] = [];
  const node = state.node === undefined ? undefined : state.tree?.nodes[state.node];
  if (state.status === 'triage' && state.node !== undefined && node?.probe && !state.probes[state.node])
    work.push({ kind: 'probe', node: state.node });
  if (state.status === 'preflight' && !state.preflight && state.paramsVersion !== undefined)
    work.push({ kind: 'preflight', paramsVersion: state.paramsVersion });
  for (const step of state.runbook?.steps ?? []) {
    const current = state.steps[step.id];
    const ready = !isManual(step) || current?.confirmedBy !== undefined;
    if (current?.status === 'running' && ready)
      work.push({ kind: 'step', step: step.id, attempt: current.attempt });
    if (current?.status === 'rolling-back' && step.rollback)
      work.push({ kind: 'rollback', step: step.id, attempt: current.attempt });
  }
  return work;
}
