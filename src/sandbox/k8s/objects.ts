import type { KObject } from './store.js';

/** Builders for the objects tests seed, in the shape the API server serves them. */

const meta = (name: string, namespace?: string, labels?: Record<string, string>) => ({
  name,
  ...(namespace ? { namespace } : {}),
  ...(labels ? { labels } : {}),
});

export const node = (name: string, ready = true): KObject => ({
  metadata: meta(name),
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

export const namespace = (name: string, phase: 'Active' | 'Terminating' = 'Active'): KObject => ({
  metadata: meta(name),
  status: { phase },
});

type Replicas = { replicas?: number; available?: number; labels?: Record<string, string> };

/** What every apps/v1 workload needs to be valid: a selector and a pod template it matches. */
const podsOf = (name: string) => ({
  selector: { matchLabels: { app: name } },
  template: {
    metadata: { labels: { app: name } },
    spec: { containers: [{ name, image: `registry.example/${name}:1.0` }] },
  },
});

/** A Deployment its controller has finished rolling out: every replica updated, `available` of them available. */
export const deployment = (
  ns: string,
  name: string,
  { replicas = 1, available = replicas, labels }: Replicas = {},
): KObject => ({
  metadata: { ...meta(name, ns, { app: name, ...labels }), generation: 1 },
  spec: { replicas, ...podsOf(name) },
  status: {
    observedGeneration: 1,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: available,
    availableReplicas: available,
  },
});

/** A StatefulSet whose pods are all at its one revision, `available` of them ready. */
export const statefulSet = (
  ns: string,
  name: string,
  { replicas = 1, available = replicas, labels }: Replicas = {},
): KObject => ({
  metadata: { ...meta(name, ns, { app: name, ...labels }), generation: 1 },
  spec: {
    replicas,
    serviceName: name,
    ...podsOf(name),
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
  },
  status: {
    observedGeneration: 1,
    replicas,
    readyReplicas: available,
    availableReplicas: available,
    updatedReplicas: replicas,
    currentReplicas: replicas,
    currentRevision: `${name}-1`,
    updateRevision: `${name}-1`,
  },
});

/** A DaemonSet rolled out to `desired` nodes, `available` of its pods available. */
export const daemonSet = (ns: string, name: string, desired: number, available = desired): KObject => ({
  metadata: { ...meta(name, ns, { app: name }), generation: 1 },
  spec: { ...podsOf(name), updateStrategy: { type: 'RollingUpdate' } },
  status: {
    observedGeneration: 1,
    currentNumberScheduled: desired,
    desiredNumberScheduled: desired,
    numberMisscheduled: 0,
    numberReady: available,
    numberAvailable: available,
    updatedNumberScheduled: desired,
  },
});

export const pvc = (ns: string, name: string, phase: 'Bound' | 'Pending' = 'Bound'): KObject => ({
  metadata: meta(name, ns),
  status: { phase },
});

export const hoursAgo = (hours: number): string => new Date(Date.now() - hours * 3_600_000).toISOString();

type BackupOptions = {
  phase?: string;
  completedHoursAgo?: number;
  schedule?: string;
  included?: string[];
  excluded?: string[];
  gitVersion?: string;
  errors?: number;
  warnings?: number;
  storageLocation?: string;
};

/**
 * A Backup as Velero writes it: the source cluster's version in annotations
 * (pkg/controller/backup_controller.go prepareBackupRequest, velero.io/source-cluster-k8s-*),
 * the storage location and schedule as labels, the defaults the server fills into the spec.
 */
export const backup = (name: string, options: BackupOptions = {}): KObject => {
  const { phase = 'Completed', completedHoursAgo = 1, schedule, gitVersion = 'v1.31.4' } = options;
  const location = options.storageLocation ?? 'default';
  const [, major = '', minor = ''] = /^v(\d+)\.(\d+)/.exec(gitVersion) ?? [];
  return {
    metadata: {
      name,
      namespace: 'velero',
      labels: {
        'velero.io/storage-location': location,
        ...(schedule ? { 'velero.io/schedule-name': schedule } : {}),
      },
      annotations: {
        'velero.io/resource-timeout': '10m0s',
        'velero.io/source-cluster-k8s-gitversion': gitVersion,
        'velero.io/source-cluster-k8s-major-version': major,
        'velero.io/source-cluster-k8s-minor-version': minor,
      },
      creationTimestamp: hoursAgo(completedHoursAgo + 0.1),
    },
    spec: {
      csiSnapshotTimeout: '10m0s',
      defaultVolumesToFsBackup: false,
      hooks: {},
      includedNamespaces: options.included ?? ['*'],
      ...(options.excluded ? { excludedNamespaces: options.excluded } : {}),
      itemOperationTimeout: '4h0m0s',
      metadata: {},
      snapshotMoveData: false,
      storageLocation: location,
      ttl: '720h0m0s',
      volumeSnapshotLocations: [],
    },
    status: {
      formatVersion: '1.1.0',
      version: 1,
      phase,
      startTimestamp: hoursAgo(completedHoursAgo + 0.1),
      expiration: hoursAgo(completedHoursAgo - 720),
      ...(phase === 'InProgress' ? {} : { completionTimestamp: hoursAgo(completedHoursAgo) }),
      ...(options.errors ? { errors: options.errors } : {}),
      ...(options.warnings ? { warnings: options.warnings } : {}),
      progress: { itemsBackedUp: 40, totalItems: 40 },
    },
  };
};

export const storageLocation = (
  name: string,
  phase: string,
  validatedHoursAgo?: number,
  message?: string,
): KObject => ({
  metadata: meta(name, 'velero'),
  spec: { provider: 'aws', objectStorage: { bucket: 'backups' }, default: name === 'default' },
  status: {
    phase,
    ...(validatedHoursAgo === undefined ? {} : { lastValidationTime: hoursAgo(validatedHoursAgo) }),
    ...(message ? { message } : {}),
  },
});

export const snapshotLocation = (name: string, provider: string, region: string): KObject => ({
  metadata: meta(name, 'velero'),
  spec: { provider, config: { region } },
});

type ScheduleOptions = {
  paused?: boolean;
  lastBackupHoursAgo?: number;
  lastSkippedHoursAgo?: number;
  cron?: string;
  /** What the schedule controller writes for a bad cron (pkg/controller/schedule_controller.go parseCronSchedule). */
  validationErrors?: string[];
  included?: string[];
};

export const schedule = (name: string, options: ScheduleOptions = {}): KObject => ({
  metadata: meta(name, 'velero'),
  spec: {
    schedule: options.cron ?? '0 1 * * *',
    paused: options.paused ?? false,
    template: { includedNamespaces: options.included ?? ['*'], storageLocation: 'default', ttl: '720h0m0s' },
  },
  status: {
    phase: options.validationErrors ? 'FailedValidation' : 'Enabled',
    ...(options.validationErrors ? { validationErrors: options.validationErrors } : {}),
    ...(options.lastBackupHoursAgo === undefined ? {} : { lastBackup: hoursAgo(options.lastBackupHoursAgo) }),
    ...(options.lastSkippedHoursAgo === undefined
      ? {}
      : { lastSkipped: hoursAgo(options.lastSkippedHoursAgo) }),
  },
});
