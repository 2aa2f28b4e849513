import { microTime } from './leases.js';
import type { KObject } from './store.js';

/** Builders for the control-plane objects a restored cluster holds, in the shape the API server serves them. */

/**
 * A leader-election Lease as client-go's leaderelection writes it (tools/leaderelection/resourcelock/leaselock.go):
 * holderIdentity `NODE_UUID`, leaseDurationSeconds 15 (the components' --leader-elect-lease-duration default).
 */
export const leaderLease = (name: string, holder: string, renewedAt: Date): KObject => ({
  metadata: { name, namespace: 'kube-system' },
  spec: {
    holderIdentity: holder,
    leaseDurationSeconds: 15,
    acquireTime: microTime(renewedAt),
    renewTime: microTime(renewedAt),
    leaseTransitions: 0,
  },
});

/** A kubelet's node Lease (kube-node-lease, named after the node, holder the node, 40 s; pkg/kubelet/nodelease). */
export const nodeLease = (node: string, renewedAt: Date): KObject => ({
  metadata: { name: node, namespace: 'kube-node-lease' },
  spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: microTime(renewedAt) },
});

type Hook = {
  name: string;
  service?: { namespace: string; name: string };
  url?: string;
  failurePolicy?: 'Fail' | 'Ignore';
};

/** A webhook configuration; a webhook left without failurePolicy gets the API server's default, Fail (admissionregistration/v1 defaults.go). */
export const webhookConfiguration = (name: string, hooks: Hook[]): KObject => ({
  metadata: { name },
  webhooks: hooks.map((hook) => ({
    name: hook.name,
    clientConfig: hook.service
      ? { service: { ...hook.service, port: 443, path: '/validate' } }
      : { url: hook.url },
    rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }],
    failurePolicy: hook.failurePolicy ?? 'Fail',
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
  })),
});

/**
 * The EndpointSlice the EndpointSlice controller keeps for a Service: labelled kubernetes.io/service-name,
 * one endpoint per pod with its conditions (discovery.k8s.io/v1 EndpointConditions).
 */
export const endpointSlice = (
  namespace: string,
  service: string,
  endpoints: Array<{ ip: string; ready: boolean }>,
): KObject => ({
  metadata: {
    name: `${service}-abc12`,
    namespace,
    labels: {
      'kubernetes.io/service-name': service,
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    },
  },
  addressType: 'IPv4',
  endpoints: endpoints.map(({ ip, ready }) => ({
    addresses: [ip],
    conditions: { ready, serving: ready, terminating: false },
  })),
  ports: [{ name: 'https', port: 8443, protocol: 'TCP' }],
});
