import { z } from 'zod';
import type { ResourceList } from './backup-choice.js';

/** BackupVolumeInfos entries (internal/volume/volumes_information.go BackupVolumeInfo), the fields that say where data went. */
export const VolumeInfo = z.looseObject({
  pvcName: z.string().optional(),
  pvcNamespace: z.string().optional(),
  pvName: z.string().optional(),
  backupMethod: z.string().optional(),
  snapshotDataMoved: z.boolean().optional(),
  skipped: z.boolean().optional(),
  skippedReason: z.string().optional(),
  result: z.string().optional(),
});
export type VolumeInfo = z.infer<typeof VolumeInfo>;

/** Where a PVC's data comes back from; `none` means Velero re-provisions it empty. */
export const DATA_SOURCES = [
  'native snapshot',
  'CSI snapshot',
  'CSI data upload',
  'file-system backup',
  'none',
] as const;
export type DataSource = (typeof DATA_SOURCES)[number];

/** API groups served by Kubernetes itself; a kind of any other group needs its CRD in the target. */
const BUILT_IN_GROUPS = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
]);

/**
 * Whether the objects of a kind in the target could be listed: not served (no such API, its CRD missing),
 * forbidden (403), or names only refused (406: a server that cannot answer PartialObjectMetadataList).
 */
export const KIND_CHECKS = ['checked', 'not served', 'forbidden', 'names only refused'] as const;
export type KindCheck = (typeof KIND_CHECKS)[number];

/** What the plan needs to know about the target cluster. */
export type Live = {
  /** Per resource-list key (`v1/ConfigMap`), whether it was checked and the names that exist in the target namespace. */
  readonly lookups: ReadonlyMap<string, { readonly check: KindCheck; readonly names: ReadonlySet<string> }>;
  /** "group/Kind" of every CRD the target serves. */
  readonly crds: ReadonlySet<string>;
  readonly persistentVolumes: readonly {
    name: string;
    phase: string;
    reclaimPolicy: string;
    claim: string;
  }[];
};

export type PlanQuery = {
  readonly backup: string;
  readonly namespace: string;
  readonly targetNamespace: string;
  readonly existingResourcePolicy: 'none' | 'update';
};

export type RestorePlan = {
  readonly backup: string;
  readonly namespace: string;
  readonly targetNamespace: string;
  readonly objects: number;
  readonly kinds: readonly { kind: string; count: number; existing: number; check: KindCheck }[];
  readonly existing: readonly string[];
  readonly existingPolicy: string;
  readonly pvcs: readonly { name: string; source: DataSource }[];
  readonly emptyVolumes: readonly string[];
  readonly crds: readonly { kind: string; present: boolean }[];
  readonly blockingVolumes: readonly { pv: string; claim: string }[];
};

/** A BackupResourceList key: `v1/ConfigMap` (core), `apps/v1/Deployment`, `cert-manager.io/v1/Certificate`. */
export function splitKey(key: string): { group: string; version: string; kind: string } {
  const parts = key.split('/');
  if (parts.length === 3) return { group: parts[0] ?? '', version: parts[1] ?? '', kind: parts[2] ?? '' };
  return { group: '', version: parts[0] ?? '', kind: parts.at(-1) ?? key };
}

/** A kind of a group Kubernetes does not serve itself is served only while its CRD is installed. */
export const needsCrd = (group: string): boolean => !BUILT_IN_GROUPS.has(group);

/** The resource-list keys with objects of `namespace`: the kinds whose existence the plan checks. */
export const keysOf = (resources: ResourceList, namespace: string): string[] =>
  Object.keys(resources).filter((key) => (resources[key] ?? []).some((e) => e.startsWith(`${namespace}/`)));

/** The method Velero recorded for one volume (internal/volume Method constants and snapshotDataMoved). */
export function dataSource(info: VolumeInfo | undefined): DataSource {
  if (!info || info.skipped || info.result === 'failed') return 'none';
  switch (info.backupMethod) {
    case 'NativeSnapshot':
      return 'native snapshot';
    case 'CSISnapshot':
      return info.snapshotDataMoved ? 'CSI data upload' : 'CSI snapshot';
    case 'PodVolumeBackup':
      return 'file-system backup';
    default:
      return 'none';
  }
}

const EXISTING_SHOWN = 50;

/** What a restore of one namespace from one backup will do to the target, from the backup's lists and the live cluster. */
export function buildPlan(
  query: PlanQuery,
  resources: ResourceList,
  volumes: readonly VolumeInfo[],
  live: Live,
): RestorePlan {
  const prefix = `${query.namespace}/`;
  const kinds: { kind: string; count: number; existing: number; check: KindCheck }[] = [];
  const existing: string[] = [];
  const crds = new Map<string, boolean>();
  const pvcNames: string[] = [];
  let objects = 0;
  for (const key of Object.keys(resources).sort()) {
    const { group, kind } = splitKey(key);
    const lookup = live.lookups.get(key);
    const crdPresent = live.crds.has(`${group}/${kind}`);
    // Another group's kind is served by its CRD or by an aggregated API (an APIService): discovery says which.
    const aggregated = !crdPresent && lookup !== undefined && lookup.check !== 'not served';
    let count = 0;
    let present = 0;
    for (const entry of resources[key] ?? []) {
      if (!entry.startsWith(prefix)) continue;
      count += 1;
      const name = entry.slice(prefix.length);
      if (lookup?.names.has(name)) {
        present += 1;
        if (existing.length < EXISTING_SHOWN) existing.push(`${kind} ${query.targetNamespace}/${name}`);
      }
      if (kind === 'PersistentVolumeClaim' && group === '') pvcNames.push(name);
    }
    if (count === 0) continue;
    objects += count;
    const check = lookup?.check ?? 'not served';
    kinds.push({ kind: group ? `${kind}.${group}` : kind, count, existing: present, check });
    if (needsCrd(group) && !aggregated) crds.set(`${group}/${kind}`, crdPresent);
  }
  const byClaim = new Map(volumes.map((v) => [`${v.pvcNamespace ?? ''}/${v.pvcName ?? ''}`, v]));
  const pvcs = pvcNames.map((name) => ({
    name: `${query.namespace}/${name}`,
    source: dataSource(byClaim.get(`${query.namespace}/${name}`)),
  }));
  const claims = new Set(pvcNames.map((name) => `${query.targetNamespace}/${name}`));
  return {
    backup: query.backup,
    namespace: query.namespace,
    targetNamespace: query.targetNamespace,
    objects,
    kinds,
    existing,
    existingPolicy:
      query.existingResourcePolicy === 'update'
        ? 'existing objects are updated to the backed-up version (existingResourcePolicy: update)'
        : 'existing objects are left as they are; Velero warns for each one that differs from the backup (existingResourcePolicy: none)',
    pvcs,
    emptyVolumes: pvcs.filter((p) => p.source === 'none').map((p) => p.name),
    crds: [...crds].map(([kind, present]) => ({ kind, present })),
    // A Released PV with Retain still holds its claim: the restored PVC cannot bind and Velero waits on it.
    blockingVolumes: live.persistentVolumes
      .filter((pv) => pv.phase === 'Released' && pv.reclaimPolicy === 'Retain' && claims.has(pv.claim))
      .map((pv) => ({ pv: pv.name, claim: pv.claim })),
  };
}
