import { z } from 'zod';
import { ClusterName, K8sName } from '../inputs.js';
import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { getVelero, SNAPSHOT_LOCATIONS, SnapshotLocation, VELERO_NAMESPACE } from './objects.js';

const Input = z.strictObject({
  cluster: ClusterName,
  name: K8sName.default('default'),
  veleroNamespace: K8sName.default(VELERO_NAMESPACE),
});

/** Where volume snapshots live: a snapshot in another region cannot become a volume here. */
export const snapshotLocation = (source: KubeConfigSource) =>
  kubeAction(source, Input, async ({ name, veleroNamespace }, kube) => {
    const location = await getVelero(kube, SNAPSHOT_LOCATIONS, veleroNamespace, name, SnapshotLocation);
    return {
      completed: true,
      result: { provider: location.spec?.provider ?? '', region: location.spec?.config?.region ?? '' },
    };
  });
