import type { V1DaemonSet, V1Deployment, V1StatefulSet } from '@kubernetes/client-node';

/**
 * Whether a workload has rolled out, by the rules of `kubectl rollout status`
 * (kubernetes/kubectl pkg/polymorphichelpers/rollout_status.go): `done`, or what it waits for,
 * or `failed` when it will not get there by itself (a Deployment past its progress deadline).
 */
export type Rollout = {
  readonly label: string;
  /** `available/desired`, as an SRE counts pods. */
  readonly count: string;
  readonly done: boolean;
  readonly waiting?: string;
  readonly failed?: string;
};

/** The Progressing condition's reason once progressDeadlineSeconds has passed (kubectl pkg/util/deployment TimedOutReason). */
const TIMED_OUT = 'ProgressDeadlineExceeded';

const spec = (generation: number | undefined, observed: number | undefined): boolean =>
  (observed ?? 0) >= (generation ?? 0);

export function deploymentRollout(d: V1Deployment): Rollout {
  const label = `Deployment/${d.metadata?.name}`;
  const s = d.status ?? {};
  const desired = d.spec?.replicas ?? 1;
  const [updated, total, available] = [s.updatedReplicas ?? 0, s.replicas ?? 0, s.availableReplicas ?? 0];
  const result = (waiting?: string, failed?: string): Rollout => ({
    label,
    count: `${available}/${desired}`,
    done: waiting === undefined && failed === undefined,
    ...(waiting ? { waiting } : {}),
    ...(failed ? { failed } : {}),
  });
  if (!spec(d.metadata?.generation, s.observedGeneration))
    return result('its spec update is not observed yet');
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === TIMED_OUT)
    return result(
      undefined,
      `exceeded its progress deadline${progressing.message ? ` (${progressing.message})` : ''}`,
    );
  if (updated < desired) return result(`${updated} of ${desired} new replicas updated`);
  if (total > updated) return result(`${total - updated} old replicas pending termination`);
  if (available < updated) return result(`${available} of ${updated} updated replicas available`);
  return result();
}

export function statefulSetRollout(sts: V1StatefulSet): Rollout {
  const label = `StatefulSet/${sts.metadata?.name}`;
  const s = sts.status;
  const desired = sts.spec?.replicas ?? 1;
  const ready = s?.readyReplicas ?? 0;
  const result = (waiting?: string): Rollout => ({
    label,
    count: `${ready}/${desired}`,
    done: waiting === undefined,
    ...(waiting ? { waiting } : {}),
  });
  // kubectl treats an observedGeneration of 0 as "not observed" for StatefulSets.
  if (!s?.observedGeneration || !spec(sts.metadata?.generation, s.observedGeneration))
    return result('its spec update is not observed yet');
  if (ready < desired) return result(`${desired - ready} pods not ready`);
  const strategy = sts.spec?.updateStrategy;
  // kubectl refuses rollout status for OnDelete; its pods change only when deleted, so ready is all there is.
  if (strategy?.type === 'OnDelete') return result();
  const partition = strategy?.rollingUpdate?.partition ?? 0;
  const updated = s.updatedReplicas ?? 0;
  if (partition > 0)
    return updated < desired - partition
      ? result(`${updated} of ${desired - partition} pods above partition ${partition} updated`)
      : result();
  if (s.updateRevision !== s.currentRevision)
    return result(`${updated} of ${desired} pods at revision ${s.updateRevision}`);
  return result();
}

export function daemonSetRollout(ds: V1DaemonSet): Rollout {
  const label = `DaemonSet/${ds.metadata?.name}`;
  const s = ds.status;
  const desired = s?.desiredNumberScheduled ?? 0;
  const available = s?.numberAvailable ?? 0;
  const updated = s?.updatedNumberScheduled ?? 0;
  const result = (waiting?: string): Rollout => ({
    label,
    count: `${available}/${desired}`,
    done: waiting === undefined,
    ...(waiting ? { waiting } : {}),
  });
  if (!spec(ds.metadata?.generation, s?.observedGeneration))
    return result('its spec update is not observed yet');
  // As for StatefulSets, OnDelete pods are not replaced by a rollout, so only availability counts.
  if (ds.spec?.updateStrategy?.type !== 'OnDelete' && updated < desired)
    return result(`${updated} of ${desired} new pods updated`);
  if (available < desired) return result(`${available} of ${desired} updated pods available`);
  return result();
}
