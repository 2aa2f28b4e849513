import { z } from 'zod';
import type { ActionContext } from '../../engine/action-port.js';
import { implement } from '../contract.js';
import { accessArgs, commandTimeout, etcdctl, parseJson, resolveAccess, type EtcdAccess } from './etcdctl.js';
import { notRun, toolError } from '../run-tool.js';
import { etcdHealth } from '../../domain/etcd-health.js';
import { statusOf } from './endpoint-status.js';
import { listMembers, memberAt } from './member-access.js';
import { endpointHealthContract } from './endpoint-health-contract.js';

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
