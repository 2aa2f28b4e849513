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
  summary: 'Whether etcd endpoints are healthy',
  readOnly: true,
  timeout: '2m',
  input: z.strictObject({
    cluster: accessInput.cluster.describe('cluster whose etcd to use'),
    endpoints: accessInput.endpoints.describe('etcd endpoints, instead of cluster'),
  }),
  result: { healthy: 'true when every endpoint is healthy', endpoints: 'per-endpoint health' },
});

export const endpointHealth = implement(endpointHealthContract, async (input, context) => {
  const resolved = resolveAccess(input, context);
  if ('error' in resolved) return { completed: false, result: {}, error: resolved.error };
  const checked = await checkHealth(resolved.access, context);
  if ('error' in checked) return { completed: false, result: {}, error: checked.error };
  const sick = checked.endpoints.filter((endpoint) => !endpoint.healthy);
  const healthy = checked.endpoints.length > 0 && sick.length === 0;
  const result = { healthy, endpoints: checked.endpoints };
  if (healthy) return { completed: true, result };
  const why = sick.map((endpoint) => `${endpoint.endpoint}: ${endpoint.error ?? 'unhealthy'}`).join('; ');
  return { completed: true, result, error: `etcd is not healthy: ${why || 'no endpoint answered'}` };
});
