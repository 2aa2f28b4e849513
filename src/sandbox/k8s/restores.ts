import { countMessages, type ObjectStorage, type RestoreResults } from '../velero/object-storage.js';
import { restoreItems, type BackedUp } from './restore-items.js';
import type { ClusterState, Json, KObject } from './store.js';

/** How every Restore created from now on unfolds, one phase change per emulator tick. */
export type RestorePlan = {
  /** Ticks spent InProgress, counting items (the first makes it InProgress). */
  ticks: number;
  totalItems: number;
  outcome: 'Completed' | 'PartiallyFailed' | 'Failed';
  /** Counts when no `results` are given; with `results`, the counts are theirs, as Velero counts them. */
  warnings: number;
  errors: number;
  failureReason?: string;
  /** What RestoreResults will hold (the messages behind the counts). */
  results?: RestoreResults;
  /** Async plugin operations (CSI data download): the restore waits in WaitingForPluginOperations. */
  pluginOperations?: { ticks: number; failed?: number };
  hooks?: { attempted: number; failed: number };
};

export const DEFAULT_PLAN: RestorePlan = {
  ticks: 4,
  totalItems: 300,
  outcome: 'Completed',
  warnings: 0,
  errors: 0,
};

export type RestoreProgress = { plan: RestorePlan; step: number; stage: Stage; waited: number };
type Stage = 'new' | 'running' | 'plugins' | 'finalizing' | 'done';

const TERMINAL = new Set(['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation']);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const startedAt = (backup: KObject): number => Date.parse(text(backup.status?.startTimestamp));

/**
 * What the restore controller finds wrong before starting, in its words (pkg/controller/
 * restore_controller.go validateAndComplete): a schedule restore takes the schedule's newest
 * Completed backup by start time (mostRecentCompletedBackup) and writes its name into spec.backupName.
 */
function validate(state: ClusterState, restore: KObject): string[] {
  const spec = restore.spec ?? {};
  const namespace = restore.metadata.namespace;
  const errors: string[] = [];
  const policy = spec.existingResourcePolicy;
  if (policy !== undefined && policy !== null && policy !== '' && policy !== 'none' && policy !== 'update')
    errors.push(`Invalid ExistingResourcePolicy: ${JSON.stringify(policy).replace(/^"|"$/g, '')}`);
  if (Boolean(spec.backupName) === Boolean(spec.scheduleName))
    return ['Either a backup or schedule must be specified as a source for the restore, but not both'];
  if (typeof spec.scheduleName === 'string' && spec.scheduleName) {
    const backups = state.list('backups', namespace, {
      labelSelector: `velero.io/schedule-name=${spec.scheduleName}`,
    });
    if (backups.length === 0) errors.push('No backups found for schedule');
    const newest = backups
      .sort((a, b) => startedAt(b) - startedAt(a))
      .find((b) => b.status?.phase === 'Completed');
    if (!newest) return [...errors, 'No completed backups found for schedule'];
    spec.backupName = newest.metadata.name;
  }
  const name = String(spec.backupName);
  const backup = state.find('backups', namespace, name);
  if (!backup)
    return [
      `Error retrieving backup: can't find backup ${namespace}/${name}: backups.velero.io "${name}" not found`,
    ];
  const location = text(backup.spec?.storageLocation) || 'default';
  if (state.find('backupstoragelocations', namespace, location)?.status?.phase !== 'Available')
    return [`The BSL ${location} is unavailable, cannot retrieve the backup`];
  return errors;
}

/** The restored items, as RestoreResourceList records them: the backup's items in the restored namespaces. */
function restoredList(storage: ObjectStorage, restore: KObject, plan: RestorePlan): Record<string, string[]> {
  const spec = restore.spec ?? {};
  const backed = (storage.get('BackupResourceList', String(spec.backupName)) ?? {}) as Record<
    string,
    string[]
  >;
  const included = (spec.includedNamespaces as string[] | undefined) ?? ['*'];
  const mapping = (spec.namespaceMapping as Record<string, string> | undefined) ?? {};
  const warned = new Set(
    Object.entries(plan.results?.warnings.namespaces ?? {}).flatMap(([ns, list]) =>
      list.flatMap((message) => {
        const quoted = /(?:"([^"]+)"|:(\S+)) already exists/.exec(message);
        return quoted ? [`${ns}/${quoted[1] ?? quoted[2]}`] : [];
      }),
    ),
  );
  const list: Record<string, string[]> = {};
  for (const [kind, entries] of Object.entries(backed)) {
    for (const entry of entries) {
      const [ns, name] = entry.includes('/') ? entry.split('/') : ['', entry];
      if (ns && !included.includes('*') && !included.includes(ns ?? '')) continue;
      const target = ns ? `${mapping[ns ?? ''] ?? ns}/${name}` : String(name);
      // A warning and no action set means "failed" in the list (pkg/restore/restore.go restoreItem's defer).
      const action = warned.has(target) ? 'failed' : 'created';
      (list[kind] ??= []).push(`${target}(${action})`);
    }
  }
  for (const entries of Object.values(list)) entries.sort();
  return list;
}

/** Messages behind bare counts, worded as pkg/restore/restore.go words them. */
function resultsOf(restore: KObject, plan: RestorePlan): RestoreResults {
  if (plan.results) return plan.results;
  const ns = ((restore.spec?.includedNamespaces as string[] | undefined) ?? ['default'])[0] ?? 'default';
  const many = (n: number, text: (i: number) => string) => Array.from({ length: n }, (_, i) => text(i + 1));
  const warnings = many(
    plan.warnings,
    (i) =>
      `could not restore, ConfigMap "settings-${i}" already exists. Warning: the in-cluster version is different than the backed-up version`,
  );
  const errors = many(
    plan.errors,
    (i) =>
      `error restoring deployments.apps/${ns}/worker-${i}: admission webhook "policy.example.com" denied the request`,
  );
  return {
    warnings: warnings.length > 0 ? { namespaces: { [ns]: warnings } } : {},
    errors: errors.length > 0 ? { namespaces: { [ns]: errors } } : {},
  };
}

function finish(storage: ObjectStorage, restore: KObject, plan: RestorePlan): void {
  const results = resultsOf(restore, plan);
  storage.put('RestoreResults', restore.metadata.name, results);
  storage.put('RestoreResourceList', restore.metadata.name, restoredList(storage, restore, plan));
}

function counts(plan: RestorePlan): { warnings: number; errors: number } {
  return plan.results
    ? { warnings: countMessages(plan.results.warnings), errors: countMessages(plan.results.errors) }
    : { warnings: plan.warnings, errors: plan.errors };
}

/** One phase change, in the controllers' order: New → InProgress → [WaitingForPluginOperations] → Finalizing → end. */
function next(
  state: ClusterState,
  storage: ObjectStorage,
  restore: KObject,
  progress: RestoreProgress,
  contents: ReadonlyMap<string, readonly BackedUp[]>,
): Json {
  const now = new Date().toISOString();
  const { plan } = progress;
  const status = { ...restore.status };
  const { warnings, errors } = counts(plan);
  const partly = errors > 0 || plan.outcome === 'PartiallyFailed' || (plan.pluginOperations?.failed ?? 0) > 0;
  if (progress.stage === 'new') {
    const invalid = validate(state, restore);
    if (invalid.length > 0) {
      progress.stage = 'done';
      return { phase: 'FailedValidation', validationErrors: invalid };
    }
    progress.stage = 'running';
    progress.step = 1;
    return {
      phase: 'InProgress',
      startTimestamp: now,
      progress: { totalItems: plan.totalItems, itemsRestored: 0 },
    };
  }
  if (progress.stage === 'running') {
    progress.step += 1;
    if (progress.step < plan.ticks) {
      const itemsRestored = Math.round((plan.totalItems * (progress.step - 1)) / Math.max(1, plan.ticks - 1));
      return { ...status, progress: { totalItems: plan.totalItems, itemsRestored } };
    }
    if (plan.outcome === 'Failed') {
      // A restore that cannot run at all goes straight to Failed (restore_controller.go runValidatedRestore error).
      progress.stage = 'done';
      finish(storage, restore, plan);
      return {
        ...status,
        phase: 'Failed',
        completionTimestamp: now,
        progress: { totalItems: plan.totalItems, itemsRestored: Math.round(plan.totalItems / 3) },
        warnings,
        errors,
        ...(plan.failureReason ? { failureReason: plan.failureReason } : {}),
      };
    }
    restoreItems(state, restore, contents.get(String(restore.spec?.backupName)) ?? []);
    const items = {
      progress: { totalItems: plan.totalItems, itemsRestored: plan.totalItems },
      warnings,
      errors,
    };
    const hooks = plan.hooks
      ? { hookStatus: { hooksAttempted: plan.hooks.attempted, hooksFailed: plan.hooks.failed } }
      : {};
    if (plan.pluginOperations) {
      progress.stage = 'plugins';
      return {
        ...status,
        ...items,
        ...hooks,
        phase: errors > 0 ? 'WaitingForPluginOperationsPartiallyFailed' : 'WaitingForPluginOperations',
        restoreItemOperationsAttempted: 1,
      };
    }
    progress.stage = 'finalizing';
    return { ...status, ...items, ...hooks, phase: errors > 0 ? 'FinalizingPartiallyFailed' : 'Finalizing' };
  }
  if (progress.stage === 'plugins') {
    progress.waited += 1;
    if (progress.waited < (plan.pluginOperations?.ticks ?? 1)) return status;
    const failed = plan.pluginOperations?.failed ?? 0;
    progress.stage = 'finalizing';
    return {
      ...status,
      phase: partly ? 'FinalizingPartiallyFailed' : 'Finalizing',
      restoreItemOperationsCompleted: 1 - Math.min(1, failed),
      ...(failed > 0 ? { restoreItemOperationsFailed: failed } : {}),
    };
  }
  // Finalizing → the end (pkg/controller/restore_finalizer_controller.go).
  progress.stage = 'done';
  finish(storage, restore, plan);
  return { ...status, phase: partly ? 'PartiallyFailed' : 'Completed', completionTimestamp: now };
}

/** Moves every unfinished Restore one phase along its plan; runs whether or not the API is being served. */
export function advanceRestores(
  state: ClusterState,
  storage: ObjectStorage,
  plans: Map<string, RestoreProgress>,
  contents: ReadonlyMap<string, readonly BackedUp[]> = new Map(),
): void {
  for (const restore of state.objects.restores) {
    const { name, namespace } = restore.metadata;
    const phase = restore.status?.phase;
    if (typeof phase === 'string' && TERMINAL.has(phase)) continue;
    const progress = plans.get(`${namespace}/${name}`);
    if (!progress || progress.stage === 'done') continue;
    state.update('restores', namespace, name, (object) => {
      object.status = next(state, storage, object, progress, contents);
    });
  }
}
