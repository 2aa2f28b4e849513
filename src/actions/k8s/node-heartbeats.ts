import { CoordinationV1Api, CoreV1Api, type V1Node } from '@kubernetes/client-node';
import { isoTime, type LeaseSeen, type Verdict } from '../../domain/renewals.js';
import type { KubeConfigSource } from './clients.js';
import { kubeAction, type Kube } from './kube-action.js';
import { nodeHeartbeatsContract } from './node-heartbeats-contract.js';
import { renewedSince } from './renewed-since.js';

/**
 * Each kubelet renews the Lease named after its node in kube-node-lease every 10s by default
 * (kubernetes.io/docs/concepts/architecture/leases/#node-heart-beats); the Ready condition's
 * lastHeartbeatTime may stay still for 5 minutes (nodeStatusReportFrequency), so the Lease is the pulse.
 */
const NODE_LEASES = 'kube-node-lease';

type Look = { readonly nodes: V1Node[]; readonly leases: LeaseSeen[] };

async function look(kube: Kube): Promise<Look> {
  const [nodes, leases] = await Promise.all([
    kube.call({ verb: 'list', resource: { plural: 'nodes', kind: 'Node' } }, (options) =>
      kube.api(CoreV1Api).listNode({}, options),
    ),
    kube.call(
      {
        verb: 'list',
        resource: { plural: 'leases', group: 'coordination.k8s.io', kind: 'Lease' },
        namespace: NODE_LEASES,
      },
      (options) => kube.api(CoordinationV1Api).listNamespacedLease({ namespace: NODE_LEASES }, options),
    ),
  ]);
  return {
    nodes: nodes.items,
    leases: leases.items.map((lease) => {
      const renewTime = isoTime(lease.spec?.renewTime);
      const holder = lease.spec?.holderIdentity;
      return {
        name: lease.metadata?.name ?? '',
        ...(holder ? { holder } : {}),
        ...(renewTime ? { renewTime } : {}),
      };
    }),
  };
}

const readyOf = (node: V1Node): string =>
  node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';

type Findings = {
  ok: boolean;
  total: number;
  heartbeating: string[];
  ghosts: string[];
  missing: string[];
  nodes: Array<{ name: string; ready: string; renewTime?: string; heartbeating: boolean }>;
};

function findings(
  seen: Look,
  verdicts: readonly Verdict[],
  expected: readonly string[] | undefined,
  expectedCount: number | undefined,
): Findings {
  const byName = new Map(verdicts.map((lease) => [lease.name, lease]));
  const names = new Set(seen.nodes.map((node) => node.metadata?.name ?? ''));
  const nodes = seen.nodes.map((node) => {
    const name = node.metadata?.name ?? '';
    const lease = byName.get(name);
    return {
      name,
      ready: readyOf(node),
      ...(lease?.renewTime ? { renewTime: lease.renewTime } : {}),
      heartbeating: lease?.renewed ?? false,
    };
  });
  const heartbeating = nodes.filter((node) => node.heartbeating).map((node) => node.name);
  const ghosts = nodes.filter((node) => !node.heartbeating).map((node) => node.name);
  const orphans = verdicts
    .filter((lease) => lease.renewed && !names.has(lease.name))
    .map((lease) => lease.name);
  const absent = (expected ?? []).filter((name) => !names.has(name));
  const missing = [...new Set([...absent, ...orphans])].sort();
  const enough = expectedCount === undefined || heartbeating.length >= expectedCount;
  const ok = nodes.length > 0 && ghosts.length === 0 && missing.length === 0 && enough;
  return { ok, total: nodes.length, heartbeating, ghosts, missing, nodes };
}

function problems(found: Findings, expectedCount: number | undefined): string {
  const parts = [
    ...(found.total === 0 ? ['the API has no Node at all'] : []),
    ...(found.ghosts.length > 0
      ? [
          `no heartbeat from ${found.ghosts.join(', ')}: start their kubelet, or if the machine is gone delete the Node (kubectl delete node NAME) so its pods are rescheduled`,
        ]
      : []),
    ...(found.missing.length > 0
      ? [
          `not in the API: ${found.missing.join(', ')}: restart the kubelet on each (systemctl restart kubelet) so it registers its Node again`,
        ]
      : []),
    ...(expectedCount !== undefined && found.heartbeating.length < expectedCount
      ? [`${found.heartbeating.length} Nodes heartbeat, ${expectedCount} expected`]
      : []),
  ];
  return parts.join('; ');
}

/**
 * After an etcd restore the API holds the Nodes of the snapshot: some machines may be gone (ghosts,
 * whose Lease never moves) and machines that joined later have no Node (their kubelet only
 * registers at start, but its Lease heartbeats). A Node only counts once its own Lease renews.
 */
export const nodeHeartbeats = (source: KubeConfigSource) =>
  kubeAction(source, nodeHeartbeatsContract, async (input, kube, context) => {
    const outcome = await renewedSince({
      input,
      context,
      look: () => look(kube),
      verdict: (seen, verdicts) => {
        const found = findings(seen, verdicts, input.expectedNodes, input.expectedCount);
        return { value: found, passed: found.ok, note: problems(found, input.expectedCount) };
      },
    });
    const found = outcome.value;
    if (found.ok) return { completed: true, result: found };
    return { completed: true, result: found, error: problems(found, input.expectedCount) };
  });
