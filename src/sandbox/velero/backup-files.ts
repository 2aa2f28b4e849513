import type { BackupVolumeInfo } from './object-storage.js';

/** What one namespace held when it was backed up: workloads, config and PVCs with how their data was kept. */
export type NamespaceContents = {
  deployments?: string[];
  statefulSets?: string[];
  configMaps?: string[];
  secrets?: string[];
  services?: string[];
  /** PVC name → how its data went into the backup; `none` = Velero took no data (it comes back empty). */
  pvcs?: Record<string, 'NativeSnapshot' | 'CSISnapshot' | 'CSIDataMover' | 'PodVolumeBackup' | 'none'>;
  /** Custom resources: "group/version/Kind" → names. */
  custom?: Record<string, string[]>;
};

const add = (list: Record<string, string[]>, key: string, entries: string[]): void => {
  if (entries.length > 0) list[key] = [...(list[key] ?? []), ...entries].sort();
};

/** The BackupResourceList of a backup of these namespaces (pkg/backup/request.go: "group/version/Kind" → sorted "ns/name"; cluster-scoped without ns). */
export function resourceList(namespaces: Record<string, NamespaceContents>): Record<string, string[]> {
  const list: Record<string, string[]> = {};
  for (const [ns, c] of Object.entries(namespaces)) {
    const at = (names: string[] | undefined) => (names ?? []).map((name) => `${ns}/${name}`);
    add(list, 'v1/Namespace', [ns]);
    add(list, 'apps/v1/Deployment', at(c.deployments));
    add(list, 'apps/v1/StatefulSet', at(c.statefulSets));
    add(list, 'v1/ConfigMap', at(c.configMaps));
    add(list, 'v1/Secret', at(c.secrets));
    add(list, 'v1/Service', at(c.services));
    add(list, 'v1/PersistentVolumeClaim', at(Object.keys(c.pvcs ?? {})));
    add(
      list,
      'v1/PersistentVolume',
      Object.keys(c.pvcs ?? {}).map((pvc) => pvName(ns, pvc)),
    );
    for (const [kind, names] of Object.entries(c.custom ?? {})) add(list, kind, at(names));
  }
  return list;
}

export const pvName = (ns: string, pvc: string): string => `pvc-${ns}-${pvc}`.slice(0, 63);

/** The BackupVolumeInfos of those namespaces (internal/volume/volumes_information.go BackupVolumeInfo). */
export function volumeInfos(namespaces: Record<string, NamespaceContents>): BackupVolumeInfo[] {
  return Object.entries(namespaces).flatMap(([ns, c]) =>
    Object.entries(c.pvcs ?? {}).map(([pvc, method]): BackupVolumeInfo => {
      const base = {
        pvcName: pvc,
        pvcNamespace: ns,
        pvName: pvName(ns, pvc),
        snapshotDataMoved: method === 'CSIDataMover',
        preserveLocalSnapshot: false,
        pvInfo: { reclaimPolicy: 'Delete', labels: {} },
      };
      switch (method) {
        case 'none':
          // A volume no method covered: Velero records it as skipped (pkg/backup/skip_pv.go reasons).
          return {
            ...base,
            skipped: true,
            skippedReason:
              '[{"approach":"podvolume","reason":"opted out due to annotation in pod web-0"},{"approach":"volumeSnapshot","reason":"no applicable volumesnapshotter found"}]',
          };
        case 'NativeSnapshot':
          return {
            ...base,
            backupMethod: 'NativeSnapshot',
            skipped: false,
            result: 'succeeded',
            nativeSnapshotInfo: {
              snapshotHandle: 'snap-0a1b2c',
              volumeType: 'gp3',
              volumeAZ: 'eu-west-1a',
              iops: '3000',
              phase: 'Completed',
            },
          };
        case 'CSISnapshot':
        case 'CSIDataMover':
          return {
            ...base,
            backupMethod: 'CSISnapshot',
            skipped: false,
            result: 'succeeded',
            csiSnapshotInfo: {
              snapshotHandle: 'snap-9f8e',
              size: 10737418240,
              driver: 'ebs.csi.aws.com',
              vscName: 'snapcontent-1',
            },
            ...(method === 'CSIDataMover'
              ? {
                  snapshotDataMovementInfo: {
                    dataMover: 'velero',
                    uploaderType: 'kopia',
                    snapshotHandle: 'kopia-1',
                    operationID: 'du-1',
                    size: 10737418240,
                    phase: 'Completed',
                  },
                }
              : {}),
          };
        case 'PodVolumeBackup':
          return {
            ...base,
            backupMethod: 'PodVolumeBackup',
            skipped: false,
            result: 'succeeded',
            pvbInfo: {
              snapshotHandle: 'kopia-2',
              size: 1073741824,
              uploaderType: 'kopia',
              volumeName: 'data',
              podName: `${pvc}-0`,
              podNamespace: ns,
              phase: 'Completed',
            },
          };
      }
    }),
  );
}
