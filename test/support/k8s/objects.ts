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
};

export const backup = (name: string, options: BackupOptions = {}): KObject => {
  const { phase = 'Completed', completedHoursAgo = 1, schedule, gitVersion = 'v1.31.4' } = options;
  const labels = {
    'velero.io/source-cluster-k8s-gitversion': gitVersion,
    ...(schedule ? { 'velero.io/schedule-name': schedule } : {}),
  };
  return {
    metadata: { ...meta(name, 'velero', labels), creationTimestamp: hoursAgo(completedHoursAgo + 0.1) },
    spec: { includedNamespaces: options.included ?? [], excludedNamespaces: options.excluded ?? [] },
    status: {
      phase,
      startTimestamp: hoursAgo(completedHoursAgo + 0.1),
      ...(phase === 'InProgress' ? {} : { completionTimestamp: hoursAgo(completedHoursAgo) }),
      errors: options.errors ?? 0,
      warnings: options.warnings ?? 0,
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
  spec: { provider: 'aws', objectStorage: { bucket: 'backups' } },
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

export const schedule = (
  name: string,
  options: { paused?: boolean; lastBackupHoursAgo?: number } = {},
): KObject => ({
  metadata: meta(name, 'velero'),
  spec: { schedule: '0 1 * * *', paused: options.paused ?? false, template: {} },
  status: {
    phase: 'Enabled',
    ...(options.lastBackupHoursAgo === undefined ? {} : { lastBackup: hoursAgo(options.lastBackupHoursAgo) }),
  },
});
