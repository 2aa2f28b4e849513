/**
 * Every Kubernetes API call the k8s.* and velero.* actions make, file by file, with the RBAC it
 * needs: the source of truth for deploy/rbac. deploy.test.ts holds it against the sources (each
 * file's calls), against the requests the actions really send to the API emulator, and against
 * the rendered RBAC, both ways.
 */

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'patch';

/**
 * Where a grant must hold: `cluster-wide` for cluster-scoped resources and for workloads a runbook
 * may name in any namespace (a ClusterRole); `velero-namespace` for Velero's objects (a Role there);
 * `restored-namespaces` for what the restore plan lists in the namespace it restores (ClusterRole
 * RESTORE_PLAN_ROLE, bound by a RoleBinding in each such namespace, never cluster-wide).
 */
export type Where =
  | 'cluster-wide'
  | 'velero-namespace'
  | 'namespace-kube-system'
  | 'namespace-kube-node-lease'
  | 'restored-namespaces';

/** The ClusterRole whose rules hold only where a RoleBinding puts them: the namespaces runbooks restore. */
export const RESTORE_PLAN_ROLE = 'lifeboat-restore-plan';

export type ResourceGrant = {
  readonly group: string;
  readonly resource: string;
  readonly verb: Verb;
  readonly where: Where;
};
export type UrlGrant = { readonly url: string; readonly verb: 'get' };
export type Grant = ResourceGrant | UrlGrant;

/** `call` is the call as the source makes it; deploy.test.ts finds the same strings in `file`. */
export type ApiCall = {
  readonly file: string;
  readonly actions: readonly string[];
  readonly call: string;
  readonly grant: Grant;
};

const core = (resource: string, verb: Verb): ResourceGrant => ({
  group: '',
  resource,
  verb,
  where: 'cluster-wide',
});
const apps = (resource: string, verb: Verb): ResourceGrant => ({
  group: 'apps',
  resource,
  verb,
  where: 'cluster-wide',
});
const velero = (resource: string, verb: Verb): ResourceGrant => ({
  group: 'velero.io',
  resource,
  verb,
  where: 'velero-namespace',
});

const K8S = 'src/actions/k8s';
const VELERO = 'src/actions/velero';
const WORKLOADS = ['k8s.workloads-ready'];
const SCALE = ['k8s.scale'];

export const API_CALLS: readonly ApiCall[] = [
  {
    file: `${K8S}/apiserver-ready.ts`,
    actions: ['k8s.apiserver-ready'],
    call: 'GET /readyz',
    grant: { url: '/readyz', verb: 'get' },
  },
  {
    file: `${K8S}/version.ts`,
    actions: ['k8s.version'],
    call: 'VersionApi.getCode',
    grant: { url: '/version', verb: 'get' },
  },
  {
    file: `${K8S}/nodes-ready.ts`,
    actions: ['k8s.nodes-ready'],
    call: 'CoreV1Api.listNode',
    grant: core('nodes', 'list'),
  },
  {
    file: `${K8S}/namespace-exists.ts`,
    actions: ['k8s.namespace-exists'],
    call: 'CoreV1Api.readNamespace',
    grant: core('namespaces', 'get'),
  },
  {
    file: `${K8S}/workloads-ready.ts`,
    actions: WORKLOADS,
    call: 'AppsV1Api.listNamespacedDeployment',
    grant: apps('deployments', 'list'),
  },
  {
    file: `${K8S}/workloads-ready.ts`,
    actions: WORKLOADS,
    call: 'AppsV1Api.listNamespacedStatefulSet',
    grant: apps('statefulsets', 'list'),
  },
  {
    file: `${K8S}/workloads-ready.ts`,
    actions: WORKLOADS,
    call: 'AppsV1Api.listNamespacedDaemonSet',
    grant: apps('daemonsets', 'list'),
  },
  {
    file: `${K8S}/workloads-ready.ts`,
    actions: WORKLOADS,
    call: 'CoreV1Api.listNamespacedPersistentVolumeClaim',
    grant: core('persistentvolumeclaims', 'list'),
  },
  // k8s.scale by name reads the scale subresource; by selector it lists the workloads.
  {
    file: `${K8S}/scale.ts`,
    actions: SCALE,
    call: 'AppsV1Api.readNamespacedDeploymentScale',
    grant: apps('deployments/scale', 'get'),
  },
  {
    file: `${K8S}/scale.ts`,
    actions: SCALE,
    call: 'AppsV1Api.readNamespacedStatefulSetScale',
    grant: apps('statefulsets/scale', 'get'),
  },
  {
    file: `${K8S}/scale.ts`,
    actions: SCALE,
    call: 'AppsV1Api.listNamespacedDeployment',
    grant: apps('deployments', 'list'),
  },
  {
    file: `${K8S}/scale.ts`,
    actions: SCALE,
    call: 'AppsV1Api.listNamespacedStatefulSet',
    grant: apps('statefulsets', 'list'),
  },
  {
    file: `${K8S}/scale.ts`,
    actions: SCALE,
    call: 'AppsV1Api.patchNamespacedDeploymentScale',
    grant: apps('deployments/scale', 'patch'),
  },
  {
    file: `${K8S}/scale.ts`,
    actions: SCALE,
    call: 'AppsV1Api.patchNamespacedStatefulSetScale',
    grant: apps('statefulsets/scale', 'patch'),
  },
  // After a restore: the leaders' Leases renewed (kube-system), every kubelet's node Lease (kube-node-lease).
  {
    file: `${K8S}/leases-renewed.ts`,
    actions: ['k8s.leases-renewed'],
    call: 'CoordinationV1Api.readNamespacedLease',
    grant: { group: 'coordination.k8s.io', resource: 'leases', verb: 'get', where: 'namespace-kube-system' },
  },
  {
    file: `${K8S}/node-heartbeats.ts`,
    actions: ['k8s.node-heartbeats'],
    call: 'CoreV1Api.listNode',
    grant: core('nodes', 'list'),
  },
  {
    file: `${K8S}/node-heartbeats.ts`,
    actions: ['k8s.node-heartbeats'],
    call: 'CoordinationV1Api.listNamespacedLease',
    grant: {
      group: 'coordination.k8s.io',
      resource: 'leases',
      verb: 'list',
      where: 'namespace-kube-node-lease',
    },
  },
  // Admission webhooks that would refuse writes: their configurations, and their Services' EndpointSlices.
  {
    file: `${K8S}/webhooks-health.ts`,
    actions: ['k8s.webhooks-health'],
    call: 'AdmissionregistrationV1Api.listValidatingWebhookConfiguration',
    grant: {
      group: 'admissionregistration.k8s.io',
      resource: 'validatingwebhookconfigurations',
      verb: 'list',
      where: 'cluster-wide',
    },
  },
  {
    file: `${K8S}/webhooks-health.ts`,
    actions: ['k8s.webhooks-health'],
    call: 'AdmissionregistrationV1Api.listMutatingWebhookConfiguration',
    grant: {
      group: 'admissionregistration.k8s.io',
      resource: 'mutatingwebhookconfigurations',
      verb: 'list',
      where: 'cluster-wide',
    },
  },
  {
    file: `${K8S}/webhooks-health.ts`,
    actions: ['k8s.webhooks-health'],
    call: 'DiscoveryV1Api.listNamespacedEndpointSlice',
    grant: { group: 'discovery.k8s.io', resource: 'endpointslices', verb: 'list', where: 'cluster-wide' },
  },
  // k8s.scale finds the autoscaling/v2 HPAs that target the workloads and raises their minReplicas.
  {
    file: `${K8S}/scale.ts`,
    actions: SCALE,
    call: 'AutoscalingV2Api.listNamespacedHorizontalPodAutoscaler',
    grant: {
      group: 'autoscaling',
      resource: 'horizontalpodautoscalers',
      verb: 'list',
      where: 'cluster-wide',
    },
  },
  {
    file: `${K8S}/scale.ts`,
    actions: SCALE,
    call: 'AutoscalingV2Api.patchNamespacedHorizontalPodAutoscaler',
    grant: {
      group: 'autoscaling',
      resource: 'horizontalpodautoscalers',
      verb: 'patch',
      where: 'cluster-wide',
    },
  },
  // The backup to restore: the responder's pick (get) or the newest by contents (list).
  {
    file: `${VELERO}/backup-choice.ts`,
    actions: ['velero.latest-backup'],
    call: 'getVelero(BACKUPS)',
    grant: velero('backups', 'get'),
  },
  {
    file: `${VELERO}/backup-choice.ts`,
    actions: ['velero.latest-backup'],
    call: 'listVelero(BACKUPS)',
    grant: velero('backups', 'list'),
  },
  // Velero's files (resource lists, volume infos, restore results): a DownloadRequest, then GET it until Processed.
  {
    file: `${VELERO}/download.ts`,
    actions: ['velero.latest-backup', 'velero.restore-plan', 'velero.restore', 'velero.list-backups'],
    call: 'CustomObjectsApi.createNamespacedCustomObject(downloadrequests)',
    grant: velero('downloadrequests', 'create'),
  },
  {
    file: `${VELERO}/download.ts`,
    actions: ['velero.latest-backup', 'velero.restore-plan', 'velero.restore', 'velero.list-backups'],
    call: 'getVelero(DOWNLOAD_REQUESTS)',
    grant: velero('downloadrequests', 'get'),
  },
  // The restore plan: what already exists in the target namespace (each kind's plural from API
  // discovery, then a metadata-only list), the CRDs the target serves, its PVs.
  {
    file: `${VELERO}/plan-lookup.ts`,
    actions: ['velero.restore-plan'],
    call: 'getJson(get)',
    grant: { url: '/api/v1', verb: 'get' },
  },
  {
    file: `${VELERO}/plan-lookup.ts`,
    actions: ['velero.restore-plan'],
    call: 'getJson(get)',
    grant: { url: '/apis/*', verb: 'get' },
  },
  ...(['configmaps', 'secrets', 'services', 'serviceaccounts'] as const).map((resource): ApiCall => ({
    file: `${VELERO}/plan-lookup.ts`,
    actions: ['velero.restore-plan'],
    call: 'getJson(list)',
    grant: { group: '', resource, verb: 'list', where: 'restored-namespaces' },
  })),
  {
    file: `${VELERO}/plan-lookup.ts`,
    actions: ['velero.restore-plan'],
    call: 'getJson(list)',
    grant: apps('deployments', 'list'),
  },
  {
    file: `${VELERO}/plan-lookup.ts`,
    actions: ['velero.restore-plan'],
    call: 'getJson(list)',
    grant: core('persistentvolumeclaims', 'list'),
  },
  // Only when a list was forbidden: a namespace that does not exist holds nothing.
  {
    file: `${VELERO}/plan-lookup.ts`,
    actions: ['velero.restore-plan'],
    call: 'CoreV1Api.readNamespace',
    grant: core('namespaces', 'get'),
  },
  {
    file: `${VELERO}/plan-source.ts`,
    actions: ['velero.restore-plan'],
    call: 'CoreV1Api.listPersistentVolume',
    grant: core('persistentvolumes', 'list'),
  },
  {
    file: `${VELERO}/plan-source.ts`,
    actions: ['velero.restore-plan'],
    call: 'ApiextensionsV1Api.listCustomResourceDefinition',
    grant: {
      group: 'apiextensions.k8s.io',
      resource: 'customresourcedefinitions',
      verb: 'list',
      where: 'cluster-wide',
    },
  },
  {
    file: `${VELERO}/list-backups.ts`,
    actions: ['velero.list-backups'],
    call: 'listVelero(BACKUPS)',
    grant: velero('backups', 'list'),
  },
  {
    file: `${VELERO}/schedule-status.ts`,
    actions: ['velero.schedule-status'],
    call: 'getVelero(SCHEDULES)',
    grant: velero('schedules', 'get'),
  },
  {
    file: `${VELERO}/schedule-status.ts`,
    actions: ['velero.schedule-status'],
    call: 'listVelero(BACKUPS)',
    grant: velero('backups', 'list'),
  },
  {
    file: `${VELERO}/bsl-available.ts`,
    actions: ['velero.bsl-available'],
    call: 'getVelero(STORAGE_LOCATIONS)',
    grant: velero('backupstoragelocations', 'get'),
  },
  {
    file: `${VELERO}/snapshot-location.ts`,
    actions: ['velero.snapshot-location'],
    call: 'getVelero(SNAPSHOT_LOCATIONS)',
    grant: velero('volumesnapshotlocations', 'get'),
  },
  // Without a name: the locations the backup used (get the Backup), or every one (list).
  {
    file: `${VELERO}/snapshot-location.ts`,
    actions: ['velero.snapshot-location'],
    call: 'getVelero(BACKUPS)',
    grant: velero('backups', 'get'),
  },
  {
    file: `${VELERO}/snapshot-location.ts`,
    actions: ['velero.snapshot-location'],
    call: 'listVelero(SNAPSHOT_LOCATIONS)',
    grant: velero('volumesnapshotlocations', 'list'),
  },
  {
    file: `${VELERO}/restore.ts`,
    actions: ['velero.restore'],
    call: 'CustomObjectsApi.createNamespacedCustomObject(restores)',
    grant: velero('restores', 'create'),
  },
  // One Restore per step attempt: find this step's Restores by label, to adopt a running one.
  {
    file: `${VELERO}/restore.ts`,
    actions: ['velero.restore'],
    call: 'listVelero(RESTORES)',
    grant: velero('restores', 'list'),
  },
  // Following a Restore: GET it, then WATCH it from that resourceVersion, again after each drop.
  {
    file: `${VELERO}/follow-restore.ts`,
    actions: ['velero.restore'],
    call: 'getVelero(RESTORES)',
    grant: velero('restores', 'get'),
  },
  {
    file: `${VELERO}/follow-restore.ts`,
    actions: ['velero.restore'],
    call: 'new Watch(restores)',
    grant: velero('restores', 'watch'),
  },
];

/** Calls made on behalf of their callers, who name the resource (getVelero/listVelero above). */
export const HELPER_CALLS: ReadonlyArray<{ readonly file: string; readonly call: string }> = [
  { file: `${VELERO}/objects.ts`, call: 'CustomObjectsApi.getNamespacedCustomObject' },
  { file: `${VELERO}/objects.ts`, call: 'CustomObjectsApi.listNamespacedCustomObject' },
];

/** The folders whose files the test reads for calls: every file there must be in the tables or make none. */
export const ACTION_FOLDERS: readonly string[] = [K8S, VELERO];
