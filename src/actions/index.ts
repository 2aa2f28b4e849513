import type { S3Settings } from '../domain/config.js';
import type { ActionRegistry } from '../engine/action-port.js';
import { etcdActions } from './etcd/index.js';
import { httpActions } from './http.js';
import { apiserversStopped } from './k8s/apiservers-stopped.js';
import { kubernetesActions } from './k8s/index.js';
import type { KubeConfigSource } from './k8s/clients.js';
import { createRegistry, type ImplementedAction } from './registry.js';
import { s3Actions } from './s3/index.js';
import { shell } from './shell.js';

export type RegistryOptions = {
  readonly s3: S3Settings;
  readonly kube: KubeConfigSource;
  /** The config's egress.allow: loopback, link-local, metadata and private addresses URLs may reach. */
  readonly egressAllow?: readonly string[];
  /** Actions that need an adapter the registry does not own (notify needs Slack, drill.last-result the store). */
  readonly extra?: Readonly<Record<string, ImplementedAction>>;
};

/** Every action the bot can run, wired to this deployment's clusters and storage. */
export function actionRegistry(
  options: RegistryOptions,
): ActionRegistry & { readonly names: readonly string[] } {
  // A list, not merged records: an action two namespaces both implement is refused, not overwritten.
  return createRegistry([
    shell,
    ...Object.values(etcdActions()),
    ...Object.values(s3Actions(options.s3)),
    ...Object.values(kubernetesActions(options.kube)),
    ...Object.values(httpActions(options.egressAllow)),
    // A TCP fence, not an API call: outside kubernetesActions, whose every call has its RBAC.
    apiserversStopped,
    ...Object.values(options.extra ?? {}),
  ]);
}
