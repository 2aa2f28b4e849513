import { z } from 'zod';
import type { ActionContext } from '../../engine/action-port.js';
import { actionContract, implement } from '../contract.js';
import {
  accessArgs,
  accessInput,
  commandTimeout,
  etcdctl,
  parseJson,
  resolveAccess,
  type EtcdAccess,
} from './etcdctl.js';
import { notRun, toolError } from '../run-tool.js';
import { etcdHealth } from '../../domain/etcd-health.js';
import { statusOf } from './endpoint-status.js';
import { listMembers, memberAt } from './member-access.js';

export type EndpointHealth = { endpoint: string; healthy: boolean; took?: string; error?: string };

const Reported = z.array(
  z.object({
    endpoint: z.string(),
    health: z.boolean(),
    took: z.string().optional(),
    error: z.string().optional(),
  }),
);

/** Asks every endpoint at once; a dead one answers within the command timeout (5 s at most). */
export async function checkHealth(
  etcd: EtcdAccess,
  context: ActionContext,
): Promise<{ endpoints: EndpointHealth[] } | { error: string }> {
  const args = [...accessArgs(etcd), commandTimeout(context, 5), 'endpoint', 'health', '-w', 'json'];
  const run = await etcdctl(args, context);
  const failed = notRun('etcdctl', run, context.timeoutMs);
  if (failed) return { error: failed };
  // etcdctl exits 1 when an endpoint is unhealthy but still prints the JSON report.
  const reported = Reported.safeParse(parseJson(run.stdout));
  if (!reported.success) return { error: toolError('etcdctl', run) };
  const order = (endpoint: string): number => etcd.endpoints.indexOf(endpoint);
  const endpoints = reported.data
    .map(({ endpoint, health, took, error }) => ({
      endpoint,
      healthy: health,
      ...(took !== undefined ? { took } : {}),
      ...(error !== undefined ? { error } : {}),
    }))
    .sort((a, b) => order(a.endpoint) - order(b.endpoint));
  return { endpoints };
}

export const endpointHealthContract = actionContract({
  name: 'etcd.endpoint-health',
  summary: 'Whether etcd endpoints are healthy, whether a quorum holds, and which members are down',
  readOnly: true,
  timeout: '2m',
  input: z.strictObject({
    cluster: accessInput.cluster.describe('cluster whose etcd to use'),
    endpoints: accessInput.endpoints.describe('etcd endpoints, instead of cluster'),
  }),
  result: {
    healthy: 'true when every endpoint is healthy',
    verdict:
      'healthy, degraded (quorum held, some members down), unhealthy (quorum lost) or unknown (no endpoint answered)',
    quorum: 'true when a quorum serves reads, false when members answer but none can; absent when unknown',
    why: 'what is down, or why Lifeboat could not tell',
    endpoints: 'per endpoint: healthy, answered, member, peerURLs, took, error',
    members: 'the member list (id, name, peerURLs, clientURLs, started), empty when no member answered',
    downCount: 'how many members are down (unhealthy, unreachable or unstarted)',
    down: 'their names, comma-separated',
    downPeerUrls: 'their peer URLs, comma-separated (etcd.member-add adds a member back there)',
  },
});

export const endpointHealth = implement(endpointHealthContract, async (input, context) => {
  const resolved = resolveAccess(input, context);
  if ('error' in resolved) return { completed: false, result: {}, error: resolved.error };
  // Health, who answers at all, and who the members are: at once, each within its own 5 s.
  const [checked, status, listed] = await Promise.all([
    checkHealth(resolved.access, context),
    statusOf(resolved.access, context),
    listMembers(resolved.access, context),
  ]);
  if ('error' in checked) return { completed: false, result: {}, error: checked.error };
  const members = 'error' in listed ? [] : listed.members;
  const answered = new Set(
    'error' in status ? [] : status.endpoints.filter((e) => e.answered).map((e) => e.endpoint),
  );
  const endpoints = checked.endpoints.map((e) => {
    const member = memberAt(members, e.endpoint);
    return {
      ...e,
      answered: e.healthy || answered.has(e.endpoint),
      ...(member ? { member: member.name, peerURLs: member.peerURLs } : {}),
    };
  });
  const unstarted = members.filter((m) => !m.started).map((m) => ({ id: m.id, peerURLs: m.peerURLs }));
  const health = etcdHealth(endpoints, unstarted);
  const result = {
    healthy: health.verdict === 'healthy',
    verdict: health.verdict,
    ...(health.quorum !== undefined ? { quorum: health.quorum } : {}),
    ...(health.why ? { why: health.why } : {}),
    endpoints,
    members,
    downCount: health.down.length,
    down: health.down.join(','),
    downPeerUrls: health.downPeerUrls.join(','),
  };
  if (health.verdict === 'healthy') return { completed: true, result };
  return { completed: true, result, error: `etcd is ${health.verdict}: ${health.why ?? ''}` };
});
