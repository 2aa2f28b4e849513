import type { ClusterState, Json, KObject } from './store.js';

/** How every Restore created from now on unfolds, one step per emulator tick. */
export type RestorePlan = {
  /** Ticks from creation to the terminal phase (the first makes it InProgress). */
  ticks: number;
  totalItems: number;
  outcome: 'Completed' | 'PartiallyFailed' | 'Failed';
  warnings: number;
  errors: number;
  failureReason?: string;
};

export const DEFAULT_PLAN: RestorePlan = {
  ticks: 4,
  totalItems: 300,
  outcome: 'Completed',
  warnings: 0,
  errors: 0,
};

const TERMINAL = new Set(['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation']);

/** What Velero would find wrong before starting: the backup or schedule must exist. */
function validationErrors(state: ClusterState, restore: KObject): string[] {
  const spec = restore.spec ?? {};
  const namespace = restore.metadata.namespace;
  if (typeof spec.backupName === 'string' && !state.find('backups', namespace, spec.backupName))
    return [`Unable to get backup: backups.velero.io "${spec.backupName}" not found`];
  if (typeof spec.scheduleName === 'string' && !state.find('schedules', namespace, spec.scheduleName))
    return [`No backups found for schedule ${spec.scheduleName}`];
  return [];
}

function nextStatus(state: ClusterState, restore: KObject, step: number, plan: RestorePlan): Json {
  const now = new Date().toISOString();
  const invalid = validationErrors(state, restore);
  if (invalid.length > 0)
    return { phase: 'FailedValidation', validationErrors: invalid, completionTimestamp: now };
  const started = { startTimestamp: restore.status?.startTimestamp ?? now };
  if (step < plan.ticks) {
    const itemsRestored = Math.round((plan.totalItems * (step - 1)) / Math.max(1, plan.ticks - 1));
    return { phase: 'InProgress', ...started, progress: { totalItems: plan.totalItems, itemsRestored } };
  }
  const done = plan.outcome === 'Failed' ? Math.round(plan.totalItems / 3) : plan.totalItems;
  return {
    phase: plan.outcome,
    ...started,
    completionTimestamp: now,
    progress: { totalItems: plan.totalItems, itemsRestored: done },
    warnings: plan.warnings,
    errors: plan.errors,
    ...(plan.failureReason ? { failureReason: plan.failureReason } : {}),
  };
}

/** Moves every unfinished Restore one step along its plan; runs whether or not the API is being served. */
export function advanceRestores(
  state: ClusterState,
  plans: Map<string, { plan: RestorePlan; step: number }>,
): void {
  for (const restore of state.objects.restores) {
    const { name, namespace } = restore.metadata;
    const phase = restore.status?.phase;
    if (typeof phase === 'string' && TERMINAL.has(phase)) continue;
    const key = `${namespace}/${name}`;
    const progress = plans.get(key);
    if (!progress) continue;
    progress.step += 1;
    state.update('restores', namespace, name, (object) => {
      object.status = nextStatus(state, object, progress.step, progress.plan);
    });
  }
}
