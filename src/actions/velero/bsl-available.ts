import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { ageSeconds, getVelero, STORAGE_LOCATIONS, StorageLocation } from './objects.js';
import { bslAvailableContract } from './bsl-available-contract.js';

/** Whether Velero can reach its backup storage; a stale validation is the "silently failing" signal. */
export const bslAvailable = (source: KubeConfigSource) =>
  kubeAction(source, bslAvailableContract, async ({ name, names, veleroNamespace }, kube) => {
    const wanted = names && names.length > 0 ? names : [name];
    const seen = await Promise.all(
      wanted.map(async (n) => {
        const location = await getVelero(kube, STORAGE_LOCATIONS, veleroNamespace, n, StorageLocation);
        const validated = location.status?.lastValidationTime;
        return {
          name: n,
          phase: location.status?.phase ?? 'Unknown',
          age: validated === undefined ? null : ageSeconds(validated),
          message: location.status?.message ?? '',
        };
      }),
    );
    const down = seen.filter((l) => l.phase !== 'Available');
    const worst = down[0] ?? [...seen].sort((a, b) => (b.age ?? Infinity) - (a.age ?? Infinity))[0];
    const result = {
      available: down.length === 0,
      phase: worst?.phase ?? 'Unknown',
      lastValidationAgeSeconds: seen.some((l) => l.age === null)
        ? null
        : Math.max(...seen.map((l) => l.age ?? 0)),
      message: worst?.message ?? '',
      locations: seen.map((l) => `${l.name}: ${l.phase}`).join(', '),
    };
    if (down.length === 0) return { completed: true, result };
    const error = down
      .map((l) => `BackupStorageLocation ${l.name} is ${l.phase}${l.message ? `: ${l.message}` : ''}`)
      .join('; ');
    return { completed: true, result, error };
  });
