import type { ClusterState, KObject, Plural } from './store.js';

/** One object as a backup's tarball holds it (resources/PLURAL/namespaces/NS/NAME.json in Velero's format). */
export type BackedUp = { readonly plural: Plural; readonly object: KObject };

/**
 * What the restore does to the cluster once its items are restored: the Namespace first, then each
 * object of an included namespace (mapped if asked), without its status and server-set metadata
 * (pkg/restore/restore.go restoreItem resets metadata and status; pkg/restore/pv_restorer.go),
 * and an object that already exists is left as it is (existingResourcePolicy none). A restored PVC
 * binds to the volume Velero recreates from its data; workloads then roll out (controllers.ts).
 */
export function restoreItems(state: ClusterState, restore: KObject, contents: readonly BackedUp[]): void {
  const spec = restore.spec ?? {};
  const included = (spec.includedNamespaces as string[] | undefined) ?? ['*'];
  const mapping = (spec.namespaceMapping as Record<string, string> | undefined) ?? {};
  const wanted = (ns: string) => included.includes('*') || included.includes(ns);
  const ordered = [...contents].sort(
    (a, b) => Number(b.plural === 'namespaces') - Number(a.plural === 'namespaces'),
  );
  for (const { plural, object } of ordered) {
    const source = plural === 'namespaces' ? object.metadata.name : object.metadata.namespace;
    if (source === undefined || !wanted(source)) continue;
    const target = mapping[source] ?? source;
    const name = plural === 'namespaces' ? target : object.metadata.name;
    const namespace = plural === 'namespaces' ? undefined : target;
    if (state.find(plural, namespace, name)) continue;
    const { resourceVersion: _rv, creationTimestamp: _created, ...metadata } = object.metadata;
    const restored: KObject = {
      ...object,
      metadata: {
        ...metadata,
        name,
        ...(namespace ? { namespace } : {}),
        // pkg/restore/restore.go addRestoreLabels.
        labels: {
          ...metadata.labels,
          'velero.io/backup-name': typeof spec.backupName === 'string' ? spec.backupName : '',
          'velero.io/restore-name': restore.metadata.name,
        },
        ...(plural === 'deployments' || plural === 'statefulsets' ? { generation: 1 } : {}),
      },
    };
    delete restored.status;
    if (plural === 'persistentvolumeclaims') restored.status = { phase: 'Bound' };
    if (plural === 'namespaces') restored.status = { phase: 'Active' };
    state.add(plural, restored);
  }
}
