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

/**
 * The part of the HPA controller a failover meets: it keeps its target's replicas within
 * [minReplicas, maxReplicas] around its own recommendation (status.desiredReplicas, from metrics),
 * so a scale above the recommendation is undone unless minReplicas was raised
 * (kubernetes pkg/controller/podautoscaler horizontal.go normalizeDesiredReplicas).
 */
export function reconcileAutoscalers(state: ClusterState): void {
  for (const hpa of state.objects.horizontalpodautoscalers) {
    const ref = (hpa.spec?.scaleTargetRef ?? {}) as { kind?: string; name?: string };
    const plural =
      ref.kind === 'StatefulSet' ? 'statefulsets' : ref.kind === 'Deployment' ? 'deployments' : undefined;
    const namespace = hpa.metadata.namespace;
    const workload = plural && ref.name ? state.find(plural, namespace, ref.name) : undefined;
    if (!plural || !workload || !ref.name) continue;
    const min = Number(hpa.spec?.minReplicas ?? 1);
    const max = Number(hpa.spec?.maxReplicas ?? min);
    const recommended = Number(hpa.status?.desiredReplicas ?? workload.spec?.replicas ?? 1);
    const wanted = Math.min(Math.max(recommended, min), max);
    if (Number(workload.spec?.replicas ?? 1) === wanted) continue;
    state.update(plural, namespace, ref.name, (o) => {
      o.spec = { ...o.spec, replicas: wanted };
      o.metadata.generation = (o.metadata.generation ?? 1) + 1;
    });
  }
}
