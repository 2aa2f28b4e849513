import { parseSelector, selects } from './labels.js';

/** The emulated cluster's objects: plain JSON a test can seed and read, with resourceVersions and events for watches. */

export const RESOURCES = {
  nodes: { group: '', kind: 'Node', namespaced: false },
  namespaces: { group: '', kind: 'Namespace', namespaced: false },
  persistentvolumeclaims: { group: '', kind: 'PersistentVolumeClaim', namespaced: true },
  deployments: { group: 'apps', kind: 'Deployment', namespaced: true },
  statefulsets: { group: 'apps', kind: 'StatefulSet', namespaced: true },
  daemonsets: { group: 'apps', kind: 'DaemonSet', namespaced: true },
  backups: { group: 'velero.io', kind: 'Backup', namespaced: true },
  restores: { group: 'velero.io', kind: 'Restore', namespaced: true },
  backupstoragelocations: { group: 'velero.io', kind: 'BackupStorageLocation', namespaced: true },
  volumesnapshotlocations: { group: 'velero.io', kind: 'VolumeSnapshotLocation', namespaced: true },
  schedules: { group: 'velero.io', kind: 'Schedule', namespaced: true },
  downloadrequests: { group: 'velero.io', kind: 'DownloadRequest', namespaced: true },
  persistentvolumes: { group: '', kind: 'PersistentVolume', namespaced: false },
  // autoscaling/v2 (kubernetes api autoscaling/v2/types.go): the HPA that would undo a scale below its minReplicas.
  horizontalpodautoscalers: {
    group: 'autoscaling',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    version: 'v2',
  },
  customresourcedefinitions: {
    group: 'apiextensions.k8s.io',
    kind: 'CustomResourceDefinition',
    namespaced: false,
  },
  // coordination.k8s.io/v1 Lease: leader election (kube-system) and node heartbeats (kube-node-lease).
  leases: { group: 'coordination.k8s.io', kind: 'Lease', namespaced: true },
  // admissionregistration.k8s.io/v1: cluster-scoped, like the real API (kubectl api-resources).
  validatingwebhookconfigurations: {
    group: 'admissionregistration.k8s.io',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
  },
  mutatingwebhookconfigurations: {
    group: 'admissionregistration.k8s.io',
    kind: 'MutatingWebhookConfiguration',
    namespaced: false,
  },
  endpointslices: { group: 'discovery.k8s.io', kind: 'EndpointSlice', namespaced: true },
  configmaps: { group: '', kind: 'ConfigMap', namespaced: true },
  secrets: { group: '', kind: 'Secret', namespaced: true },
  services: { group: '', kind: 'Service', namespaced: true },
  serviceaccounts: { group: '', kind: 'ServiceAccount', namespaced: true },
} as const;
export type Plural = keyof typeof RESOURCES;
/** Where objects are kept: a built-in plural, or a custom resource's CRD name (PLURAL.GROUP). */
export type ResourceKey = Plural | `${string}.${string}`;
/** The API version a resource is served at: v1 unless it says (HPAs are served here at autoscaling/v2). */
export const versionOf = (plural: Plural): string => {
  const resource = RESOURCES[plural];
  return 'version' in resource ? resource.version : 'v1';
};
export const isPlural = (text: string): text is Plural => Object.hasOwn(RESOURCES, text);

export type Json = Record<string, unknown>;
export type KObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    creationTimestamp?: string;
    generation?: number;
    deletionTimestamp?: string;
  };
  spec?: Json;
  status?: Json;
  /** Top-level lists of kinds without spec: a webhook configuration's webhooks, an EndpointSlice's endpoints and ports. */
  webhooks?: Json[];
  addressType?: string;
  endpoints?: Json[];
  ports?: Json[];
  /** ConfigMap and Secret contents; a Secret's `type`. */
  data?: Record<string, string>;
  type?: string;
};
export type WatchEvent = {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  plural: ResourceKey;
  object: KObject;
};
export type Query = { labelSelector?: string | null; fieldSelector?: string | null };

const copy = <T>(value: T): T => structuredClone(value);

function fieldsMatch(object: KObject, selector: string): boolean {
  return selector.split(',').every((part) => {
    const [field, value] = part.split('=');
    if (field === 'metadata.name') return object.metadata.name === value;
    if (field === 'metadata.namespace') return object.metadata.namespace === value;
    return true;
  });
}

export function matches(object: KObject, namespace: string | undefined, query: Query): boolean {
  if (namespace !== undefined && object.metadata.namespace !== namespace) return false;
  if (query.labelSelector) {
    const requirements = parseSelector(query.labelSelector);
    if (typeof requirements === 'string' || !selects(object.metadata.labels ?? {}, requirements))
      return false;
  }
  return !query.fieldSelector || fieldsMatch(object, query.fieldSelector);
}

export class ClusterState {
  readonly objects: Record<Plural, KObject[]> = Object.fromEntries(
    Object.keys(RESOURCES).map((plural) => [plural, []]),
  ) as unknown as Record<Plural, KObject[]>;
  /** Custom resources' objects, by CRD name. */
  private readonly custom = new Map<string, KObject[]>();
  version = { major: '1', minor: '31', gitVersion: 'v1.31.2', platform: 'linux/amd64' };
  readyz = { status: 200, body: 'ok' };
  veleroInstalled = true;
  readonly history: WatchEvent[] = [];
  /** Events at or below this revision are compacted away, as etcd compaction does: watching from there is 410 Expired. */
  compactedThrough = 0;
  private revision = 1;
  private readonly listeners = new Set<(event: WatchEvent) => void>();

  get resourceVersion(): string {
    return String(this.revision);
  }

  private emit(type: WatchEvent['type'], plural: ResourceKey, object: KObject): void {
    const event = { rv: this.revision, type, plural, object: copy(object) };
    this.history.push(event);
    for (const listener of this.listeners) listener(event);
  }

  private bucket(key: ResourceKey): KObject[] {
    if (isPlural(key)) return this.objects[key];
    const objects = this.custom.get(key) ?? [];
    this.custom.set(key, objects);
    return objects;
  }

  add(plural: ResourceKey, object: KObject): KObject {
    const stored = copy(object);
    this.revision += 1;
    stored.metadata.resourceVersion = String(this.revision);
    stored.metadata.creationTimestamp ??= new Date().toISOString();
    this.bucket(plural).push(stored);
    this.emit('ADDED', plural, stored);
    return stored;
  }

  find(plural: ResourceKey, namespace: string | undefined, name: string): KObject | undefined {
    return this.bucket(plural).find((o) => o.metadata.name === name && o.metadata.namespace === namespace);
  }

  /** Deletes one object (a DELETED event at a new revision); whether it was there. */
  remove(plural: ResourceKey, namespace: string | undefined, name: string): boolean {
    const objects = this.bucket(plural);
    const index = objects.findIndex((o) => o.metadata.name === name && o.metadata.namespace === namespace);
    const [object] = index < 0 ? [] : objects.splice(index, 1);
    if (!object) return false;
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
    this.emit('DELETED', plural, object);
    return true;
  }

  update(
    plural: ResourceKey,
    namespace: string | undefined,
    name: string,
    change: (object: KObject) => void,
  ): KObject {
    const object = this.find(plural, namespace, name);
    if (!object) throw new Error(`no ${plural} ${namespace}/${name} in the emulator`);
    change(object);
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
    this.emit('MODIFIED', plural, object);
    return object;
  }

  list(plural: ResourceKey, namespace: string | undefined, query: Query = {}): KObject[] {
    return this.bucket(plural)
      .filter((object) => matches(object, namespace, query))
      .map(copy);
  }

  /** Drops the watch history up to now, so a watch or list from an older resourceVersion is Expired. */
  compact(): void {
    this.compactedThrough = this.revision;
    this.history.length = 0;
  }

  subscribe(listener: (event: WatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
