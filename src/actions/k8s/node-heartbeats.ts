import { CoordinationV1Api, CoreV1Api, type V1Node } from '@kubernetes/client-node';
import { z } from 'zod';
import { baseline, isoTime, judge, type LeaseSeen, type Verdict } from '../../domain/renewals.js';
import { actionContract } from '../contract.js';
import { ClusterName, WholeNumber, Within } from '../inputs.js';
import { keepTrying } from '../keep-trying.js';
import type { KubeConfigSource } from './clients.js';
import { kubeAction, type Kube } from './kube-action.js';
import { Instant, NameList } from './times.js';

/**
 * Each kubelet renews the Lease named after its node in kube-node-lease every 10s by default
 * (kubernetes.io/docs/concepts/architecture/leases/#node-heart-beats); the Ready condition's
 * lastHeartbeatTime may stay still for 5 minutes (nodeStatusReportFrequency), so the Lease is the pulse.
 */
const NODE_LEASES = 'kube-node-lease';
const DEFAULT_WITHIN_MS = 60_000;

export const nodeHeartbeatsContract = actionContract({
  name: 'k8s.node-heartbeats',
  summary:
    'Every Node heartbeats after the restore (its Lease in kube-node-lease renews); lists ghost Nodes and missing ones',
  readOnly: true,
  timeout: '3m',
  input: z.strictObject({
    cluster: ClusterName.describe('cluster name from the config (primary, standby, …)'),
    after: Instant.optional().describe(
      "ISO time (e.g. the restore's end): a heartbeat later than this counts; without it, only one seen while watching counts",
    ),
    within: Within.optional().describe(
      'keep watching up to this long (default 1m; kubelets renew every 10s)',
    ),
    expectedNodes: NameList.optional().describe(
      'the node names the cluster should have (e.g. from the cloud provider): those absent from the API are listed as missing',
    ),
    expectedCount: WholeNumber.optional().describe(
      'how many Nodes heartbeated before the incident: fewer heartbeating fails',
    ),
  }),
  result: {
    ok: 'true when every Node heartbeats, none is missing and at least expectedCount do',
    total: 'Nodes in the API',
    heartbeating: 'names of the Nodes whose Lease renewed',
    ghosts:
      'Nodes in the API whose Lease did not renew: restored from the snapshot while the machine is gone, or its kubelet is down',
    missing:
      'Nodes not in the API: expected names absent, and kubelets that heartbeat (a renewed Lease) without a Node object (joined after the snapshot)',
    nodes: 'per Node: name, ready (the Ready condition), renewTime, heartbeating',
  },
});

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
    let first: Map<string, string | undefined> | undefined;
    const outcome = await keepTrying({
      withinMs: Math.min(input.within ?? DEFAULT_WITHIN_MS, context.timeoutMs),
      signal: context.signal,
      progress: context.progress,
      attempt: async () => {
        const seen = await look(kube);
        // Nodes without a Lease yet are in the baseline as absent, so a Lease that appears counts.
        first ??= new Map([
          ...seen.nodes.map((node) => [node.metadata?.name ?? '', undefined] as const),
          ...baseline(seen.leases),
        ]);
        const found = findings(
          seen,
          judge(first, seen.leases, input.after),
          input.expectedNodes,
          input.expectedCount,
        );
        return { value: found, passed: found.ok, note: problems(found, input.expectedCount) };
      },
    });
    const found = outcome.value;
    if (found.ok) return { completed: true, result: found };
    return { completed: true, result: found, error: problems(found, input.expectedCount) };
  });
