import { z } from 'zod';
import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { Backup, BACKUPS, getVelero, listVelero, SNAPSHOT_LOCATIONS, SnapshotLocation } from './objects.js';
import { snapshotLocationContract } from './snapshot-location-contract.js';

/**
 * Where volume snapshots live: a snapshot in another region cannot become a volume here. CSI and
 * file-system-backup setups often have no VolumeSnapshotLocation at all; then nothing is out of region.
 */
export const snapshotLocation = (source: KubeConfigSource) =>
  kubeAction(source, snapshotLocationContract, async ({ name, backup, veleroNamespace }, kube) => {
    let names = name ? [name] : [];
    if (!name && backup) {
      const used = await getVelero(kube, BACKUPS, veleroNamespace, backup, Backup);
      names = z
        .array(z.string())
        .catch([])
        .parse((used.spec as { volumeSnapshotLocations?: unknown })?.volumeSnapshotLocations);
    }
    const locations =
      names.length > 0
        ? await Promise.all(
            names.map((n) => getVelero(kube, SNAPSHOT_LOCATIONS, veleroNamespace, n, SnapshotLocation)),
          )
        : await listVelero(kube, SNAPSHOT_LOCATIONS, veleroNamespace, SnapshotLocation);
    const here = kube.target.region;
    const elsewhere = locations.filter((l) => here !== undefined && (l.spec?.config?.region ?? '') !== here);
    const [first] = locations;
    const result = {
      provider: first?.spec?.provider ?? '',
      region: first?.spec?.config?.region ?? '',
      locations: locations.length,
      inRegion: elsewhere.length === 0,
    };
    const error =
      elsewhere.length > 0
        ? `volume snapshots of ${elsewhere.map((l) => `${l.metadata.name} are in ${l.spec?.config?.region ?? 'no region'}`).join(', ')}, not ${here}`
        : undefined;
    return { completed: true, result, ...(error ? { error } : {}) };
  });
