/**
 * Every action a runbook may name, with its inputs and result fields. Lint checks runbooks against
 * this list (even for actions whose implementation lands later) and the binder documents it.
 */

import type { z } from 'zod';
import type { ActionContract } from './contract.js';
import { CONTRACTS } from './contracts.js';

export type InputSpec = { readonly required?: boolean; readonly doc: string };
export type ActionSpec = {
  readonly summary: string;
  /** Read-only actions may run as probes and prerequisite checks without a person pressing anything. */
  readonly readOnly: boolean;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly result: Readonly<Record<string, string>>;
};

const cluster: InputSpec = { required: true, doc: 'cluster name from the config (primary, standby, …)' };
const namespace: InputSpec = { required: true, doc: 'namespace' };
const timing = { durationMs: 'how long the action took' };
/** Which Velero backups an action looks at. */
const backupFilter: Readonly<Record<string, InputSpec>> = {
  cluster,
  schedule: { doc: 'only backups of this schedule' },
  namespace: { doc: 'only backups that include this namespace' },
  veleroNamespace: { doc: "Velero's namespace (default velero)" },
};

export const ACTIONS = {
  shell: {
    summary: 'Run a command (argv list, no shell) with only the listed environment',
    readOnly: false,
    inputs: {
      command: { required: true, doc: 'argv list: [program, arg, …]' },
      env: { doc: 'environment variables; only these plus PATH and HOME reach the process' },
      cwd: { doc: 'working directory (default: the incident workdir)' },
    },
    result: {
      exitCode: 'process exit code',
      stdout: 'standard output (redacted, capped)',
      stderr: 'standard error (redacted, capped)',
      ...timing,
    },
  },
  'k8s.apiserver-ready': {
    summary: "Ask the API server's /readyz",
    readOnly: true,
    inputs: { cluster, within: { doc: 'keep asking for up to this long (e.g. 5m) until ready' } },
    result: { ready: 'true when /readyz answers ok', status: 'HTTP status or error', ...timing },
  },
  'k8s.apiservers-stopped': {
    summary: 'Every API server of the cluster (config clusters.NAME.apiServers) refuses TCP connections',
    readOnly: true,
    inputs: { cluster, within: { doc: 'keep asking for up to this long (e.g. 2m) until all refuse' } },
    result: {
      stopped: 'true only when every address of every endpoint refused the connection',
      endpoints: 'per endpoint: stopped, and what each address did (refused, accepted, no answer, DNS error)',
      ...timing,
    },
  },
  'k8s.nodes-ready': {
    summary: 'Count Ready nodes',
    readOnly: true,
    inputs: { cluster, minReady: { doc: 'fewest Ready nodes that pass (default: all)' } },
    result: {
      ready: 'Ready nodes',
      total: 'all nodes',
      allReady: 'true when at least minReady (default: all) are Ready',
      notReady: 'names of nodes not Ready',
    },
  },
  'k8s.namespace-exists': {
    summary: 'Whether a namespace exists',
    readOnly: true,
    inputs: { cluster, name: { required: true, doc: 'namespace name' } },
    result: { exists: 'true when the namespace exists', phase: 'Active, Terminating or absent' },
  },
  'k8s.workloads-ready': {
    summary: 'Deployments, StatefulSets and DaemonSets available, PVCs bound',
    readOnly: true,
    inputs: { cluster, namespace, within: { doc: 'keep checking for up to this long (e.g. 5m)' } },
    result: {
      ready: 'true when everything is available',
      workloads: 'workloads checked',
      notReady: 'names not yet available',
      pvcsPending: 'PVCs not Bound',
    },
  },
  'k8s.scale': {
    summary: 'Set the replica count of a Deployment or StatefulSet',
    readOnly: false,
    inputs: {
      cluster,
      namespace,
      kind: { doc: 'Deployment (default) or StatefulSet' },
      name: { doc: 'workload name; omit with selector' },
      selector: { doc: 'label selector picking several workloads' },
      replicas: { required: true, doc: 'replica count' },
    },
    result: { scaled: 'names of the workloads scaled', previous: 'their replica counts before' },
  },
  'velero.latest-backup': {
    summary:
      'The backup that will be restored: the one picked, or the newest Completed one whose contents (BackupResourceList) hold the namespace',
    readOnly: true,
    inputs: {
      ...backupFilter,
      backup: { doc: "the responder's pick, checked instead of chosen (empty = choose)" },
    },
    result: {
      items: 'objects of the namespace in the backup',
      skipped: 'newer backups passed over (e.g. taken after the deletion)',
      storageLocation: "the backup's BackupStorageLocation",
      name: 'backup name',
      time: 'completion time (ISO 8601)',
      ageSeconds: 'age in seconds',
      sourceK8sVersion: 'Kubernetes version of the source cluster',
      sourceK8sMinor: 'its minor version, e.g. 31',
      phase: 'backup phase',
      errors: 'error count',
      warnings: 'warning count',
    },
  },
  'velero.list-backups': {
    summary: 'Completed Velero backups, newest first, as choices for a param (choicesFrom)',
    readOnly: true,
    inputs: backupFilter,
    result: {
      choices: 'the backups as [{ value: name, label, description }], newest first, at most 100',
      count: 'completed backups found (may be more than the choices)',
    },
  },
  'velero.restore': {
    summary: 'Create a Velero Restore and follow it to its end',
    readOnly: false,
    inputs: {
      cluster,
      backup: { doc: 'backup name' },
      schedule: { doc: 'restore the latest successful backup of this schedule' },
      namespaces: { doc: 'namespaces to include' },
      namespaceMapping: { doc: 'old → new namespace names' },
      restorePVs: { doc: 'restore persistent volume data (default true)' },
      existingResourcePolicy: { doc: 'none (default) or update' },
      allowWarnings: {
        doc: 'patterns a warning of a Completed restore may match and still pass (no nested quantifiers)',
      },
      planDigest: {
        doc: 'digest of the restore plan approved ({{ checks.plan.result.digest }}); refused if the plan changed',
      },
      allowEmptyVolumes: {
        doc: 'restore even though PVCs without data in the backup come back empty (default false)',
      },
      step: { doc: 'the step id, part of the Restore name so a retry adopts it (default restore)' },
      veleroNamespace: { doc: "Velero's namespace (default velero)" },
    },
    result: {
      name: 'Restore name',
      phase: 'final phase',
      errors: 'error count',
      warnings: 'warning count',
      itemsRestored: 'items restored',
      totalItems: 'items in the backup',
      restored: 'items created or updated (RestoreResourceList)',
      skipped: 'items skipped, each with its reason in the output',
      failed: 'items that failed',
      unexpectedWarnings: 'warnings no allowWarnings pattern matched',
      failedOperations: 'failed plugin item operations',
      failedHooks: 'failed restore hooks',
      stdout: 'the results and the ledger, grouped by namespace and kind',
      ...timing,
    },
  },
  'velero.restore-plan': {
    summary:
      'What a restore of one namespace will do: objects by kind, which exist, PVC data sources, CRDs needed, blocking PVs; and its digest',
    readOnly: true,
    inputs: {
      cluster,
      backup: { required: true, doc: 'backup name' },
      namespace: { required: true, doc: 'namespace to restore' },
      targetNamespace: { doc: 'namespace it is restored into, if mapped' },
      existingResourcePolicy: { doc: 'none (default) or update' },
      allowEmptyVolumes: { doc: 'accept PVCs without data in the backup (default false)' },
      veleroNamespace: { doc: "Velero's namespace (default velero)" },
    },
    result: {
      digest: 'sha256 of the plan, for the restore step to check',
      objects: 'objects of the namespace in the backup',
      existing: 'of them, already in the cluster',
      emptyVolumes: 'PVCs whose data is not in the backup',
      missingCrds: 'CRDs the objects need that the target lacks',
      blockingVolumes: 'Released Retain PVs that would block the restore',
      problems: 'what stops the restore, in words, or "none"',
      stdout: 'the plan, readable',
    },
  },
  'velero.bsl-available': {
    summary: 'Whether a BackupStorageLocation is Available and recently validated',
    readOnly: true,
    inputs: {
      cluster,
      name: { doc: 'location name (default: default)' },
      names: { doc: 'several locations, each must be Available' },
      veleroNamespace: { doc: "Velero's namespace (default velero)" },
    },
    result: {
      locations: 'each location and its phase',
      available: 'true when phase is Available',
      phase: 'Available or Unavailable',
      lastValidationAgeSeconds: 'seconds since the last validation',
      message: 'message from Velero',
    },
  },
  'velero.snapshot-location': {
    summary: 'Where a VolumeSnapshotLocation keeps volume snapshots',
    readOnly: true,
    inputs: {
      cluster,
      name: { doc: 'location name (default: those the backup used, else all)' },
      backup: { doc: 'the backup whose volumeSnapshotLocations to check' },
      veleroNamespace: { doc: "Velero's namespace (default velero)" },
    },
    result: {
      provider: 'snapshot provider',
      region: 'configured region (of the first location)',
      locations: 'how many locations were checked (0: CSI or file-system backup only)',
      inRegion: "true when every location is in the cluster's region",
    },
  },
  'velero.schedule-status': {
    summary: "A Velero Schedule's last backup and its outcome",
    readOnly: true,
    inputs: {
      cluster,
      schedule: { required: true, doc: 'schedule name' },
      veleroNamespace: { doc: "Velero's namespace (default velero)" },
    },
    result: {
      lastBackup: 'time of the last backup',
      ageSeconds: 'its age in seconds',
      phase: "the last backup's phase",
      errors: 'its error count',
      paused: 'true when the schedule is paused',
      schedulePhase: "the Schedule's phase: New, Enabled or FailedValidation (never runs)",
      validationErrors: "Velero's validation errors of the schedule",
      lastSkipped: 'when a run was last skipped',
      healthy: 'false when the schedule cannot be counted on (its error says why)',
    },
  },
  'drill.last-result': {
    summary: "A runbook's most recent drill and whether it passed",
    readOnly: true,
    inputs: { runbook: { required: true, doc: 'runbook id' } },
    result: {
      passed: 'true when the last drill passed',
      ageSeconds: 'seconds since it ended',
      rtoSeconds: 'measured RTO',
      incident: 'the drill incident id',
    },
  },
  'etcd.snapshot-save': {
    summary: 'Save an etcd snapshot to a file',
    readOnly: false,
    inputs: {
      cluster: { doc: 'cluster whose etcd to use (config clusters.NAME.etcd)' },
      endpoints: { doc: 'etcd endpoints, instead of cluster' },
      file: { required: true, doc: 'snapshot file path' },
    },
    result: { file: 'snapshot path', size: 'bytes', ...timing },
  },
  'etcd.snapshot-status': {
    summary: 'Read hash, revision and key count of a snapshot file',
    readOnly: true,
    inputs: { file: { required: true, doc: 'snapshot file path' } },
    result: { hash: 'snapshot hash', revision: 'revision', totalKey: 'number of keys', totalSize: 'bytes' },
  },
  'etcd.snapshot-restore': {
    summary: 'Restore a snapshot into a fresh data dir for every member (a new logical cluster)',
    readOnly: false,
    inputs: {
      file: { required: true, doc: 'snapshot file path' },
      initialCluster: {
        required: true,
        doc: 'every member as NAME=PEER_URL, comma-separated; all are restored from the same snapshot',
      },
      dataDirRoot: { required: true, doc: 'folder that receives one data dir per member, named NAME.etcd' },
      token: { doc: 'initial cluster token (default: lifeboat-restore-<incident id>)' },
      bumpRevision: {
        doc: 'revision bump with --mark-compacted (default 1000000000; needs etcdutl 3.5.10+) so watches re-list; 0 restores without it, which sends the revision backwards',
      },
      cluster: { doc: "cluster whose running members' etcd version the tool must match, where they answer" },
      endpoints: { doc: 'etcd endpoints for that version check, instead of cluster' },
    },
    result: {
      dataDirs: 'restored data dirs by member',
      tool: 'etcdutl or etcdctl',
      bumpRevision: 'the revision bump applied (0: none)',
      markCompacted: 'true when the bumped revision was marked compacted',
      toolVersion: "the restore tool's etcd release",
      clusterVersion: 'etcd version a running member reported, if any answered',
      snapshotVersion: 'cluster version stored in the snapshot',
      versionEvidence: 'what the tool version was checked against',
      ...timing,
    },
  },
  'etcd.endpoint-health': {
    summary: 'Whether etcd endpoints are healthy',
    readOnly: true,
    inputs: {
      cluster: { doc: 'cluster whose etcd to use' },
      endpoints: { doc: 'etcd endpoints, instead of cluster' },
    },
    result: {
      healthy: 'true when every endpoint is healthy',
      verdict:
        'healthy, degraded (quorum held, some members down), unhealthy (quorum lost) or unknown (no endpoint answered)',
      quorum: 'true when a quorum serves reads, false when members answer but none can; absent when unknown',
      why: 'what is down, or why Lifeboat could not tell',
      endpoints: 'per endpoint: healthy, answered, member, peerURLs, took, error',
      members: 'the member list (id, name, peerURLs, clientURLs, started), empty when no member answered',
      downCount: 'how many members are down (unhealthy, unreachable or unstarted)',
      down: 'their names, comma-separated',
      downPeerUrls: 'their peer URLs, comma-separated (etcd.member-add adds a member back there)',
    },
  },
  'etcd.key-count': {
    summary: 'Count keys under a prefix',
    readOnly: true,
    inputs: {
      cluster: { doc: 'cluster whose etcd to use' },
      endpoints: { doc: 'etcd endpoints, instead of cluster' },
      prefix: { doc: 'key prefix (default /registry)' },
    },
    result: { count: 'number of keys' },
  },
  's3.latest-object': {
    summary: 'The newest object under a prefix',
    readOnly: true,
    inputs: { bucket: { required: true, doc: 'bucket' }, prefix: { doc: 'key prefix' } },
    result: {
      key: 'object key',
      time: 'last modified (ISO 8601)',
      ageSeconds: 'age in seconds',
      size: 'bytes',
      metadata: 'user metadata',
      etag: 'ETag',
    },
  },
  's3.head': {
    summary: "An object's size, time and metadata",
    readOnly: true,
    inputs: { bucket: { required: true, doc: 'bucket' }, key: { required: true, doc: 'object key' } },
    result: {
      exists: 'true when the object exists',
      size: 'bytes',
      time: 'last modified',
      metadata: 'user metadata',
      etag: 'ETag',
    },
  },
  's3.download': {
    summary: 'Download an object to a file, checking its checksum',
    readOnly: false,
    inputs: {
      bucket: { required: true, doc: 'bucket' },
      key: { required: true, doc: 'object key' },
      file: { required: true, doc: 'destination path' },
    },
    result: { file: 'path written', size: 'bytes', sha256: 'SHA-256 of the file', ...timing },
  },
  's3.upload': {
    summary: 'Upload a file, with metadata, checking its checksum',
    readOnly: false,
    inputs: {
      bucket: { required: true, doc: 'bucket' },
      key: { required: true, doc: 'object key' },
      file: { required: true, doc: 'source path' },
      metadata: { doc: 'user metadata, e.g. { cluster: prod-use1 }' },
    },
    result: { key: 'object key', size: 'bytes', sha256: 'SHA-256 of the file', ...timing },
  },
  'http.probe': {
    summary: 'Request a URL until it answers as expected or time runs out',
    readOnly: true,
    inputs: {
      url: { required: true, doc: 'URL to request' },
      expectStatus: { doc: 'status that passes (default 200)' },
      bodyMatches: { doc: 'regular expression the body must match' },
      within: { doc: 'keep trying for up to this long (e.g. 5m)' },
    },
    result: {
      ok: 'true when status and body matched',
      status: 'last HTTP status',
      attempts: 'requests made',
      ...timing,
    },
  },
  manual: {
    summary: 'A person does this and confirms it, item by item',
    readOnly: false,
    inputs: {
      instructions: { required: true, doc: 'what to do, in words' },
      checklist: { doc: 'items the person ticks off' },
    },
    result: { confirmedBy: 'who confirmed', note: 'what they wrote' },
  },
  notify: {
    summary: 'Post a message to a Slack channel',
    readOnly: false,
    inputs: {
      channel: { required: true, doc: '#channel or channel id' },
      message: { required: true, doc: 'message text' },
    },
    result: { channel: 'where it was posted (in a drill, the drill channel)', ts: 'message timestamp' },
  },
} as const satisfies Record<string, ActionSpec>;

/** A field's `.describe()` text, looked for through optional, default and pipe wrappers. */
function docOf(field: z.ZodType): string {
  let schema: z.ZodType | undefined = field;
  for (let depth = 0; schema && depth < 8; depth += 1) {
    if (schema.description) return schema.description;
    const def = schema._zod.def as { innerType?: z.ZodType; in?: z.ZodType };
    schema = def.innerType ?? def.in;
  }
  return '';
}

/** The catalog entry of a contract: its inputs' docs and required-ness read from the zod schema. */
export function specOf(contract: ActionContract): ActionSpec {
  const inputs = Object.fromEntries(
    Object.entries(contract.input.shape as Record<string, z.ZodType>).map(([key, field]) => [
      key,
      { required: !field.safeParse(undefined).success, doc: docOf(field) },
    ]),
  );
  return { summary: contract.summary, readOnly: contract.readOnly, inputs, result: contract.result };
}

const SPECS: ReadonlyMap<string, ActionSpec> = new Map([
  ...Object.entries(ACTIONS as Record<string, ActionSpec>),
  ...CONTRACTS.map((contract) => [contract.name, specOf(contract)] as const),
]);

export function actionSpec(name: string): ActionSpec | undefined {
  return SPECS.get(name);
}

export const ACTION_NAMES: readonly string[] = [...SPECS.keys()];
