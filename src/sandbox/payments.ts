import { deployment, pvc, statefulSet } from './k8s/objects.js';
import type { BackedUp } from './k8s/restore-items.js';
import type { NamespaceContents } from './velero/backup-files.js';

/** The sandbox's application: the namespace a newcomer restores. */
export const PAYMENTS = 'payments';

/** What the namespace held when it was backed up: two Deployments, a database with its volume, config. */
export const PAYMENTS_CONTENTS = (
  data: NonNullable<NamespaceContents['pvcs']>[string],
): NamespaceContents => ({
  deployments: ['api', 'worker'],
  statefulSets: ['db'],
  configMaps: ['settings'],
  secrets: ['db-credentials'],
  services: ['api', 'db'],
  pvcs: { data },
});

const meta = (name: string) => ({ name, namespace: PAYMENTS, labels: { app: name } });

/** The same objects as the backup's tarball holds them, which a Restore brings back. */
export function paymentsObjects(): BackedUp[] {
  const port = (n: number) => ({ ports: [{ port: n, targetPort: n, protocol: 'TCP' }] });
  return [
    { plural: 'namespaces', object: { metadata: { name: PAYMENTS } } },
    { plural: 'deployments', object: deployment(PAYMENTS, 'api', { replicas: 2 }) },
    { plural: 'deployments', object: deployment(PAYMENTS, 'worker') },
    { plural: 'statefulsets', object: statefulSet(PAYMENTS, 'db') },
    { plural: 'persistentvolumeclaims', object: pvc(PAYMENTS, 'data') },
    { plural: 'configmaps', object: { metadata: meta('settings'), data: { currency: 'EUR' } } },
    {
      plural: 'secrets',
      // A sandbox value, not a secret: base64 of "sandbox".
      object: { metadata: meta('db-credentials'), type: 'Opaque', data: { password: 'c2FuZGJveA==' } },
    },
    {
      plural: 'services',
      object: { metadata: meta('api'), spec: { selector: { app: 'api' }, ...port(8080) } },
    },
    {
      plural: 'services',
      object: { metadata: meta('db'), spec: { selector: { app: 'db' }, ...port(5432) } },
    },
  ];
}
