import { CustomObjectsApi, type ConfigurationOptions } from '@kubernetes/client-node';
import { z } from 'zod';
import { KubeError, type Operation, type Resource } from '../k8s/errors.js';
import type { Kube } from '../k8s/kube-action.js';

/** The parts of Velero's objects Lifeboat reads; anything else Velero adds passes through untouched. */
const Metadata = z.looseObject({
  name: z.string(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  resourceVersion: z.string().optional(),
  creationTimestamp: z.string().optional(),
});
const Count = z.number().int().optional();

export const Backup = z.looseObject({
  metadata: Metadata,
  spec: z
    .looseObject({
      includedNamespaces: z.array(z.string()).nullish(),
      excludedNamespaces: z.array(z.string()).nullish(),
      storageLocation: z.string().optional(),
    })
    .optional(),
  status: z
    .looseObject({
      phase: z.string().optional(),
      startTimestamp: z.string().optional(),
      completionTimestamp: z.string().optional(),
      errors: Count,
      warnings: Count,
    })
    .optional(),
});
export type Backup = z.infer<typeof Backup>;

export const Restore = z.looseObject({
  metadata: Metadata,
  status: z
    .looseObject({
      phase: z.string().optional(),
      errors: Count,
      warnings: Count,
      failureReason: z.string().optional(),
      validationErrors: z.array(z.string()).nullish(),
      progress: z.looseObject({ totalItems: Count, itemsRestored: Count }).optional(),
      hookStatus: z.looseObject({ hooksAttempted: Count, hooksFailed: Count }).optional(),
      restoreItemOperationsAttempted: Count,
      restoreItemOperationsCompleted: Count,
      restoreItemOperationsFailed: Count,
    })
    .optional(),
});
export type Restore = z.infer<typeof Restore>;

export const Schedule = z.looseObject({
  metadata: Metadata,
  spec: z.looseObject({ paused: z.boolean().optional(), schedule: z.string().optional() }).optional(),
  status: z
    .looseObject({
      phase: z.string().optional(),
      lastBackup: z.string().nullish(),
      lastSkipped: z.string().nullish(),
      validationErrors: z.array(z.string()).nullish(),
    })
    .optional(),
});
export type Schedule = z.infer<typeof Schedule>;

export const StorageLocation = z.looseObject({
  metadata: Metadata,
  status: z
    .looseObject({
      phase: z.string().optional(),
      lastValidationTime: z.string().optional(),
      message: z.string().optional(),
    })
    .optional(),
});

export const SnapshotLocation = z.looseObject({
  metadata: Metadata,
  spec: z
    .looseObject({ provider: z.string().optional(), config: z.record(z.string(), z.string()).optional() })
    .optional(),
});

const velero = (plural: string, kind: string): Resource => ({ plural, kind, group: 'velero.io' });
export const BACKUPS = velero('backups', 'Backup');
export const RESTORES = velero('restores', 'Restore');
export const SCHEDULES = velero('schedules', 'Schedule');
export const STORAGE_LOCATIONS = velero('backupstoragelocations', 'BackupStorageLocation');
export const SNAPSHOT_LOCATIONS = velero('volumesnapshotlocations', 'VolumeSnapshotLocation');
export const DOWNLOAD_REQUESTS = velero('downloadrequests', 'DownloadRequest');

/** Set by the backup controller on every backup (pkg/controller/backup_controller.go): an annotation, not a label. */
export const SOURCE_VERSION_ANNOTATION = 'velero.io/source-cluster-k8s-gitversion';
export const SCHEDULE_LABEL = 'velero.io/schedule-name';

function parse<S extends z.ZodType>(schema: S, raw: unknown, op: Operation): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new KubeError(
    `unexpected ${op.resource.kind} from the API server: ${parsed.error.issues[0]?.message}`,
    false,
  );
}

/** One Velero object, read and checked. */
export async function getVelero<S extends z.ZodType>(
  kube: Kube,
  resource: Resource,
  namespace: string,
  name: string,
  schema: S,
): Promise<z.output<S>> {
  const op: Operation = { verb: 'get', resource, namespace, name };
  const raw: unknown = await kube.call(op, (options: ConfigurationOptions) =>
    kube
      .api(CustomObjectsApi)
      .getNamespacedCustomObject(
        { group: 'velero.io', version: 'v1', namespace, plural: resource.plural, name },
        options,
      ),
  );
  return parse(schema, raw, op);
}

/** Velero objects of one kind, optionally by label. */
export async function listVelero<S extends z.ZodType>(
  kube: Kube,
  resource: Resource,
  namespace: string,
  schema: S,
  labelSelector?: string,
): Promise<z.output<S>[]> {
  const op: Operation = { verb: 'list', resource, namespace };
  const raw: unknown = await kube.call(op, (options: ConfigurationOptions) =>
    kube
      .api(CustomObjectsApi)
      .listNamespacedCustomObject(
        { group: 'velero.io', version: 'v1', namespace, plural: resource.plural, labelSelector },
        options,
      ),
  );
  return parse(z.looseObject({ items: z.array(schema) }), raw, op).items;
}

/** Seconds since an ISO time, never negative (clocks drift). */
export const ageSeconds = (iso: string, now = Date.now()): number =>
  Math.max(0, Math.round((now - Date.parse(iso)) / 1000));

/** An API timestamp as ISO 8601, or null when there is none or it is not a time. */
export function isoTime(text: string | undefined): string | null {
  const ms = Date.parse(text ?? '');
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
