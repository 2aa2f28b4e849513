import { Cluster, K8sName } from '../inputs.js';

/** Where Velero runs; its objects (Backups, Restores, locations) live in this namespace. */
export const VeleroNamespace = K8sName.default('velero').describe("Velero's namespace (default velero)");

/** Which Velero backups an action looks at. */
export const backupFilter = {
  cluster: Cluster,
  schedule: K8sName.optional().describe('only backups of this schedule'),
  namespace: K8sName.optional().describe('only backups that include this namespace'),
  veleroNamespace: VeleroNamespace,
};
