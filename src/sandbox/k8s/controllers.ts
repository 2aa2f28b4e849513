import type { ClusterState, KObject, Plural } from './store.js';

/**
 * The part of the Deployment and StatefulSet controllers a scale needs: once the spec changed
 * (metadata.generation moved ahead of status.observedGeneration), the next tick observes it and
 * reports the new count of replicas as up, updated and available, as a healthy cluster soon would
 * (kubernetes pkg/controller/deployment sync.go syncRolloutStatus, statefulset updateStatefulSetStatus).
 */
export function settleWorkloads(state: ClusterState): void {
  for (const plural of ['deployments', 'statefulsets'] as const satisfies Plural[])
    for (const object of state.objects[plural])
      if (behind(object))
        state.update(plural, object.metadata.namespace, object.metadata.name, settle(plural));
}

const behind = (object: KObject): boolean =>
  Number(object.status?.observedGeneration ?? 0) < Number(object.metadata.generation ?? 0);

const settle = (plural: 'deployments' | 'statefulsets') => (object: KObject) => {
  const replicas = Number(object.spec?.replicas ?? 1);
  const counts = {
    replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    updatedReplicas: replicas,
  };
  const revision =
    plural === 'statefulsets'
      ? {
          currentReplicas: replicas,
          currentRevision: object.status?.updateRevision ?? object.status?.currentRevision,
        }
      : {};
  object.status = {
    ...object.status,
    ...counts,
    ...revision,
    observedGeneration: object.metadata.generation,
  };
};
