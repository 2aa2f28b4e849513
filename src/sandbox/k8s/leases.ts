import type { ClusterState, KObject } from './store.js';

/**
 * Lease holders that are alive: each tick, every Lease named here gets a new spec.renewTime, as a
 * running kubelet (its node Lease, kube-node-lease) or an elected leader (kube-system) does. The
 * renewTime is a MicroTime: RFC 3339 with microseconds (apimachinery pkg/apis/meta/v1/micro_time.go).
 */
export type Heartbeats = Set<`${string}/${string}`>;

export const microTime = (at: Date): string => at.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export function renewLeases(state: ClusterState, heartbeats: Heartbeats): void {
  const now = microTime(new Date());
  for (const key of heartbeats) {
    const [namespace = '', name = ''] = key.split('/');
    const lease: KObject | undefined = state.find('leases', namespace, name);
    if (!lease) {
      // A kubelet creates its node Lease when there is none (pkg/kubelet/nodelease controller ensureLease).
      state.add('leases', {
        metadata: { name, namespace },
        spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: now },
      });
      continue;
    }
    state.update('leases', namespace, name, (o) => {
      o.spec = { ...o.spec, renewTime: now };
    });
  }
}
