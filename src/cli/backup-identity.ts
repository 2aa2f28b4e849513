import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfigSource } from '../actions/k8s/clients.js';
import { messageOf } from '../actions/k8s/errors.js';
import { kube } from '../actions/k8s/kube-action.js';
import type { ClusterTarget } from '../engine/action-port.js';

/**
 * A cluster's identity: the kube-system namespace's UID. It is made once when the cluster is created,
 * never changes, and is in every etcd snapshot of that cluster (at /registry/namespaces/kube-system),
 * so it tells production from staging even when both are named alike. The only API call is
 * `get namespaces/kube-system` (deploy/etcd-backup/rbac.yaml grants exactly that name).
 */
export async function clusterIdentity(
  source: KubeConfigSource,
  target: ClusterTarget,
  signal: AbortSignal,
): Promise<{ uid: string } | { error: string }> {
  try {
    const api = kube(source(target), target, {
      signal,
      progress: () => undefined,
      deadline: Date.now() + 60_000,
    });
    const namespace = await api.call(
      { verb: 'get', resource: { plural: 'namespaces', kind: 'Namespace' }, name: 'kube-system' },
      (options) => api.api(CoreV1Api).readNamespace({ name: 'kube-system' }, options),
    );
    const uid = namespace.metadata?.uid;
    return uid ? { uid } : { error: `the kube-system namespace of ${target.name} has no metadata.uid` };
  } catch (error) {
    return {
      error: `cannot read the cluster identity of ${target.name} (get namespace kube-system): ${messageOf(error)}`,
    };
  }
}
