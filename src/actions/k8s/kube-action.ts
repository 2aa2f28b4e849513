import {
  Observable,
  type ApiConstructor,
  type ApiType,
  type ConfigurationOptions,
  type KubeConfig,
  type ObservableMiddleware,
} from '@kubernetes/client-node';
import type { z } from 'zod';
import type { ActionContext, ActionOutcome, ClusterTarget } from '../../engine/action-port.js';
import { defineAction, type ActionDefinition } from '../registry.js';
import type { KubeConfigSource } from './clients.js';
import { explain, KubeError, messageOf, type Operation } from './errors.js';

/** A hung API server (a partitioned network) must not hold a step for undici's five minutes. */
const REQUEST_TIMEOUT_MS = 30_000;

/** One cluster, reached with its kubeconfig; every request goes through `call` for its words on failure. */
export type Kube = {
  readonly target: ClusterTarget;
  readonly config: KubeConfig;
  api<T extends ApiType>(type: ApiConstructor<T>): T;
  call<T>(
    op: Operation,
    request: (options: ConfigurationOptions) => Promise<T>,
    contentType?: string,
  ): Promise<T>;
};

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

export function kube(config: KubeConfig, target: ClusterTarget, stop: AbortSignal): Kube {
  return {
    target,
    config,
    api: (type) => config.makeApiClient(type),
    async call(op, request, contentType) {
      try {
        return await request(requestOptions(stop, contentType));
      } catch (error) {
        if (stop.aborted)
          throw new KubeError(`stopped while asking to ${op.verb} ${op.resource.plural}`, false);
        throw explain(error, op, target);
      }
    },
  };
}

export const failed = (error: string, result: Record<string, unknown> = {}): ActionOutcome => ({
  completed: false,
  result,
  error,
});

/** The common start of every cluster action: resolve the cluster, load its kubeconfig, word the failures. */
export function kubeAction<Schema extends z.ZodType<{ cluster: string }>>(
  source: KubeConfigSource,
  input: Schema,
  run: (input: z.output<Schema>, kube: Kube, context: ActionContext) => Promise<ActionOutcome>,
): ActionDefinition {
  return defineAction({
    input,
    async run(parsed, context) {
      const name = parsed.cluster;
      const target = context.cluster(name);
      if (!target) return failed(`no cluster ${name} in LIFEBOAT_CONFIG clusters`);
      let config: KubeConfig;
      try {
        config = source(target);
      } catch (error) {
        return failed(messageOf(error));
      }
      try {
        return await run(parsed, kube(config, target, context.signal), context);
      } catch (error) {
        return failed(messageOf(error));
      }
    },
  });
}
