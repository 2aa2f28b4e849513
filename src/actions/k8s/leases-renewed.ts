import { CoordinationV1Api } from '@kubernetes/client-node';
import { isoTime, type LeaseSeen } from '../../domain/renewals.js';
import type { KubeConfigSource } from './clients.js';
import { KubeError } from './errors.js';
import { kubeAction, type Kube } from './kube-action.js';
import { leasesRenewedContract } from './leases-renewed-contract.js';
import { renewedSince } from './renewed-since.js';

/** Where kube-controller-manager and kube-scheduler keep their leader-election Leases (--leader-elect-resource-namespace default). */
const NAMESPACE = 'kube-system';
const COMPONENTS = ['kube-controller-manager', 'kube-scheduler'];

async function look(kube: Kube, names: readonly string[]): Promise<LeaseSeen[]> {
  const api = kube.api(CoordinationV1Api);
  return Promise.all(
    names.map(async (name) => {
      try {
        const lease = await kube.call(
          {
            verb: 'get',
            resource: { plural: 'leases', group: 'coordination.k8s.io', kind: 'Lease' },
            namespace: NAMESPACE,
            name,
          },
          (options) => api.readNamespacedLease({ name, namespace: NAMESPACE }, options),
        );
        const holder = lease.spec?.holderIdentity;
        const renewTime = isoTime(lease.spec?.renewTime);
        return { name, ...(holder ? { holder } : {}), ...(renewTime ? { renewTime } : {}) };
      } catch (error) {
        // No Lease yet: the component never became leader in this cluster (or is not running).
        if (error instanceof KubeError && error.status === 404) return { name };
        throw error;
      }
    }),
  );
}

/**
 * The honest sign that the scheduler and the controller manager run against the restored cluster:
 * the Lease each leader renews every few seconds moves. A /healthz would need the pods' ports or
 * the proxy subresource; the Lease needs only `get leases` in kube-system.
 */
export const leasesRenewed = (source: KubeConfigSource) =>
  kubeAction(source, leasesRenewedContract, async (input, kube, context) => {
    const names = input.leases?.length ? input.leases : COMPONENTS;
    const outcome = await renewedSince({
      input,
      context,
      look: async () => ({ leases: await look(kube, names) }),
      verdict: (_seen, verdicts) => {
        const stale = verdicts.filter((lease) => !lease.renewed).map((lease) => lease.name);
        return { value: verdicts, passed: stale.length === 0, note: `not renewed yet: ${stale.join(', ')}` };
      },
    });
    const stale = outcome.value.filter((lease) => !lease.renewed);
    const result = {
      renewed: outcome.passed,
      leases: outcome.value,
      stale: stale.map((lease) => lease.name),
    };
    if (outcome.passed) return { completed: true, result };
    const words = stale.map((lease) =>
      lease.renewTime
        ? `${lease.name} (holder ${lease.holder ?? 'none'}, last renewed ${lease.renewTime})`
        : `${lease.name} (no Lease in ${NAMESPACE})`,
    );
    return {
      completed: true,
      result,
      error: `not renewed ${input.after === undefined ? 'while watched' : `after ${new Date(input.after).toISOString()}`}: ${words.join('; ')}; check that the component runs on a control-plane node and reaches the API server (crictl ps, its logs)`,
    };
  });
