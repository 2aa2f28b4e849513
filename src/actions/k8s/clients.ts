import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterTarget } from '../../engine/action-port.js';
import { messageOf } from './errors.js';

/** Where a cluster's credentials come from: the port tests replace with their emulator's. */
export type KubeConfigSource = (target: ClusterTarget) => KubeConfig;

/** `context: in-cluster` in LIFEBOAT_CONFIG means the service account Lifeboat runs as. */
export const IN_CLUSTER = 'in-cluster';

/** KUBECONFIG, ~/.kube/config or the in-cluster service account, switched to the target's context. */
export const kubeConfigFromDefault: KubeConfigSource = (target) => {
  const config = new KubeConfig();
  try {
    if (target.context === IN_CLUSTER) {
      config.loadFromCluster();
      return config;
    }
    config.loadFromDefault();
  } catch (error) {
    throw new Error(
      `cannot load the kubeconfig (KUBECONFIG, ~/.kube/config or in-cluster): ${messageOf(error)}`,
    );
  }
  if (!config.getContextObject(target.context))
    throw new Error(
      `kubeconfig has no context ${target.context}: set clusters.${target.name}.context in LIFEBOAT_CONFIG`,
    );
  config.setCurrentContext(target.context);
  return config;
};
