import type { Route53Settings, S3Settings } from '../domain/config.js';
import type { ActionRegistry } from '../engine/action-port.js';
import { etcdActions } from './etcd/index.js';
import { httpActions } from './http.js';
import { apiserversStopped } from './k8s/apiservers-stopped.js';
import { kubernetesActions } from './k8s/index.js';
import type { KubeConfigSource } from './k8s/clients.js';
import { createRegistry, defineAction, type ActionDefinition } from './registry.js';
import { prometheusActions } from './prometheus/index.js';
import { route53Actions } from './route53/index.js';
import { s3Actions } from './s3/index.js';
import { shell } from './shell.js';
import { z } from 'zod';

export type RegistryOptions = {
  readonly s3: S3Settings;
  readonly kube: KubeConfigSource;
  /** The config's egress.allow: loopback, link-local, metadata and private addresses URLs may reach. */
  readonly egressAllow?: readonly string[];
  /** Route 53 for traffic shifts (default: AWS, us-east-1). */
  readonly route53?: Route53Settings;
  /** The config's prometheus.url: where prometheus.query asks when a step names no url. */
  readonly prometheusUrl?: string;
  /** Actions that need an adapter the registry does not own (notify needs Slack). */
  readonly extra?: Readonly<Record<string, ActionDefinition>>;
};

/** `manual` steps are done by people: the engine waits for "Done" and never runs this. */
const manual = defineAction({
  input: z.strictObject({ instructions: z.string(), checklist: z.array(z.string()).optional() }),
  run: () =>
    Promise.resolve({
      completed: false,
      result: {},
      error: 'a manual step is confirmed by a person, not run',
    }),
});

/** Every action the bot can run, wired to this deployment's clusters and storage. */
export function actionRegistry(options: RegistryOptions): ActionRegistry {
  return createRegistry({
    shell,
    manual,
    ...etcdActions(),
    ...s3Actions(options.s3),
    ...kubernetesActions(options.kube),
    ...httpActions(options.egressAllow),
    ...route53Actions(options.route53 ?? { region: 'us-east-1' }),
    ...prometheusActions(options.prometheusUrl, options.egressAllow),
    // A TCP fence, not an API call: outside kubernetesActions, whose every call has its RBAC.
    'k8s.apiservers-stopped': apiserversStopped,
    ...options.extra,
  });
}
