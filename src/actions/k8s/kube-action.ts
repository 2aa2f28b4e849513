import {
  ApiException,
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  Observable,
  RequestContext,
  type ApiConstructor,
  type ApiType,
  type ConfigurationOptions,
  type KubeConfig,
  type ObservableMiddleware,
} from '@kubernetes/client-node';
import type { z } from 'zod';
import type { ActionContext, ActionOutcome, ClusterTarget } from '../../engine/action-port.js';
import { implement, type ActionContract, type ImplementedAction } from '../contract.js';
import type { KubeConfigSource } from './clients.js';
import { explain, KubeError, messageOf, rbacName, type Operation } from './errors.js';
import { withRetries } from './retry.js';

/** A hung API server (a partitioned network) must not hold a step for undici's five minutes. */
const REQUEST_TIMEOUT_MS = 30_000;

/** One cluster, reached with its kubeconfig; every request goes through `call` for its words on failure. */
export type Kube = {
  readonly target: ClusterTarget;
  readonly config: KubeConfig;
  api<T extends ApiType>(type: ApiConstructor<T>): T;
  /** One request, asked again on 429/5xx when that is safe (retry.ts), its failure put in words. */
  call<T>(
    op: Operation,
    request: (options: ConfigurationOptions) => Promise<T>,
    contentType?: string,
  ): Promise<T>;
};

/** What a Kube needs from the step it serves: its stop signal, where to say things, and when it ends. */
export type Step = Pick<ActionContext, 'signal' | 'progress'> & { readonly deadline: number };

function requestOptions(stop: AbortSignal, contentType: string | undefined): ConfigurationOptions {
  const middleware: ObservableMiddleware = {
    pre(request) {
      request.setSignal(AbortSignal.any([stop, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]));
      if (contentType) request.setHeaderParam('Content-Type', contentType);
      return new Observable(Promise.resolve(request));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

/** A write whose answer never came may still have been carried out: say so, so nobody repeats it blindly. */
function mayHaveHappened(op: Operation, error: KubeError): KubeError {
  const { status } = error;
  // A 5xx, or a connection lost after it was made (not refused, not a certificate refused), left it unknown.
  const unanswered =
    typeof status === 'number' ? status >= 500 : error.transient && status !== 'ECONNREFUSED';
  if (op.verb !== 'create' || !unanswered) return error;
  const where = op.namespace ? ` -n ${op.namespace}` : '';
  return new KubeError(
    `${error.message}; the create may have happened anyway: check with kubectl get ${rbacName(op.resource)} ${op.name ?? ''}${where} before running the step again`,
    false,
    error.status,
  );
}

export function kube(config: KubeConfig, target: ClusterTarget, step: Step): Kube {
  const stop = step.signal;
  return {
    target,
    config,
    api: (type) => config.makeApiClient(type),
    async call(op, request, contentType) {
      const once = async () => {
        try {
          return await request(requestOptions(stop, contentType));
        } catch (error) {
          if (stop.aborted)
            throw new KubeError(`stopped while asking to ${op.verb} ${op.resource.plural}`, false);
          throw explain(error, op, target);
        }
      };
      try {
        return await withRetries(op, once, step);
      } catch (error) {
        throw error instanceof KubeError ? mayHaveHappened(op, error) : error;
      }
    },
  };
}

/**
 * A GET the generated clients have no method for (API discovery, a list in another representation),
 * through `call`: its stop signal and timeout, retries and words on failure. The answer is parsed JSON.
 */
export async function getJson(
  kube: Kube,
  op: Operation,
  path: string,
  options: { readonly accept?: string } = {},
): Promise<unknown> {
  return kube.call(op, async (configuration) => {
    const server = kube.config.getCurrentCluster()?.server;
    if (!server) throw new Error(`context ${kube.target.context} has no cluster in the kubeconfig`);
    let request = new RequestContext(`${server}${path}`, HttpMethod.GET);
    request.setHeaderParam('Accept', options.accept ?? 'application/json');
    await kube.config.applySecurityAuthentication(request);
    for (const middleware of configuration.middleware ?? [])
      request = await middleware.pre(request).toPromise();
    const response = await new IsomorphicFetchHttpLibrary().send(request).toPromise();
    const body = await response.body.text();
    const { httpStatusCode: status } = response;
    // As the generated clients fail, so `explain` words it: the Status body, the headers (Retry-After).
    if (status < 200 || status > 299)
      throw new ApiException(status, `HTTP ${status} from GET ${path}`, body, response.headers);
    return JSON.parse(body) as unknown;
  });
}

export const failed = (error: string, result: Record<string, unknown> = {}): ActionOutcome => ({
  completed: false,
  result,
  error,
});

/** The common start of every cluster action: resolve the cluster, load its kubeconfig, word the failures. */
export function kubeAction<Input extends z.ZodObject<{ cluster: z.ZodType<string> }>>(
  source: KubeConfigSource,
  contract: ActionContract<Input>,
  run: (input: z.output<Input>, kube: Kube, context: ActionContext) => Promise<ActionOutcome>,
): ImplementedAction {
  return implement(contract, async (parsed, context) => {
    const name = parsed.cluster;
    const target = context.cluster(name);
    if (!target) return failed(`no cluster ${name} in LIFEBOAT_CONFIG clusters`);
    let config: KubeConfig;
    try {
      config = source(target);
    } catch (error) {
      return failed(messageOf(error));
    }
    const step = {
      signal: context.signal,
      progress: context.progress,
      deadline: Date.now() + context.timeoutMs,
    };
    try {
      return await run(parsed, kube(config, target, step), context);
    } catch (error) {
      return failed(messageOf(error));
    }
  });
}
