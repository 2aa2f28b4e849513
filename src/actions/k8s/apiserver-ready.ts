import { HttpMethod, IsomorphicFetchHttpLibrary, RequestContext } from '@kubernetes/client-node';
import { keepTrying } from '../keep-trying.js';
import type { KubeConfigSource } from './clients.js';
import { errorCode, explain } from './errors.js';
import { kubeAction, type Kube } from './kube-action.js';
import { apiserverReadyContract } from './apiserver-ready-contract.js';

/** A refused connection is a definite "not serving"; silence (a partition, a firewall, DNS) says nothing about the server. */
const verdictOf = (ready: boolean, status: number | string): 'healthy' | 'unhealthy' | 'unknown' =>
  ready ? 'healthy' : typeof status === 'number' || status === 'ECONNREFUSED' ? 'unhealthy' : 'unknown';

const ASK_TIMEOUT_MS = 10_000;

/** One GET /readyz: the HTTP status, or the error code when nothing answered. */
async function askReadyz(kube: Kube, stop: AbortSignal): Promise<number | string> {
  const server = kube.config.getCurrentCluster()?.server;
  if (!server) throw new Error(`context ${kube.target.context} has no cluster in the kubeconfig`);
  const request = new RequestContext(`${server}/readyz`, HttpMethod.GET);
  await kube.config.applySecurityAuthentication(request);
  request.setSignal(AbortSignal.any([stop, AbortSignal.timeout(ASK_TIMEOUT_MS)]));
  let status: number;
  try {
    const response = await new IsomorphicFetchHttpLibrary().send(request).toPromise();
    await response.body.text();
    status = response.httpStatusCode;
  } catch (error) {
    const code = errorCode(error);
    return code === 'TimeoutError' ? 'ETIMEDOUT' : (code ?? 'ERROR');
  }
  // Refused is not "down": a probe that expects `ready: false` must not pass on missing RBAC.
  if (status === 401 || status === 403)
    throw explain(
      { statusCode: status },
      { verb: 'get', resource: { plural: '/readyz', kind: '/readyz' } },
      kube.target,
    );
  return status;
}

/** Whether the API server says it is ready; with `within`, asks until it is or time runs out. */
export const apiserverReady = (source: KubeConfigSource) =>
  kubeAction(source, apiserverReadyContract, async ({ within }, kube, context) => {
    const started = Date.now();
    const outcome = await keepTrying({
      withinMs: Math.min(within ?? 0, context.timeoutMs),
      signal: context.signal,
      progress: context.progress,
      attempt: async () => {
        const status = await askReadyz(kube, context.signal);
        return { value: status, passed: status === 200, note: `not ready yet (${status})` };
      },
    });
    const verdict = verdictOf(outcome.passed, outcome.value);
    const result = {
      ready: outcome.passed,
      status: outcome.value,
      verdict,
      ...(verdict === 'unknown' ? { why: `no answer from /readyz (${outcome.value})` } : {}),
      durationMs: Date.now() - started,
    };
    if (outcome.passed) return { completed: true, result };
    const what =
      typeof outcome.value === 'number' ? `answers ${outcome.value}` : `does not answer (${outcome.value})`;
    return {
      completed: true,
      result,
      error: `the API server of cluster ${kube.target.name} is not ready: /readyz ${what}`,
    };
  });
