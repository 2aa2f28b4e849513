import { z } from 'zod';
import { ClusterName, K8sName } from '../inputs.js';
import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { ageSeconds, getVelero, STORAGE_LOCATIONS, StorageLocation, VELERO_NAMESPACE } from './objects.js';

const Input = z.strictObject({
  cluster: ClusterName,
  name: K8sName.default('default'),
  veleroNamespace: K8sName.default(VELERO_NAMESPACE),
});

/** Whether Velero can reach its backup storage; a stale validation is the "silently failing" signal. */
export const bslAvailable = (source: KubeConfigSource) =>
  kubeAction(source, Input, async ({ name, veleroNamespace }, kube) => {
    const location = await getVelero(kube, STORAGE_LOCATIONS, veleroNamespace, name, StorageLocation);
    const phase = location.status?.phase ?? 'Unknown';
    const validated = location.status?.lastValidationTime;
    const result = {
      available: phase === 'Available',
      phase,
      lastValidationAgeSeconds: validated === undefined ? null : ageSeconds(validated),
      message: location.status?.message ?? '',
    };
    if (result.available) return { completed: true, result };
    const why = result.message ? `: ${result.message}` : '';
    return { completed: true, result, error: `BackupStorageLocation ${name} is ${phase}${why}` };
  });
