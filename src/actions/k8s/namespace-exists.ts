import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfigSource } from './clients.js';
import { KubeError } from './errors.js';
import { kubeAction } from './kube-action.js';
import { namespaceExistsContract } from './namespace-exists-contract.js';

/** Whether a namespace exists, and whether it is on its way out (Terminating). */
export const namespaceExists = (source: KubeConfigSource) =>
  kubeAction(source, namespaceExistsContract, async ({ name }, kube) => {
    try {
      const namespace = await kube.call(
        { verb: 'get', resource: { plural: 'namespaces', kind: 'Namespace' }, name },
        (options) => kube.api(CoreV1Api).readNamespace({ name }, options),
      );
      return { completed: true, result: { exists: true, phase: namespace.status?.phase ?? 'Active' } };
    } catch (error) {
      if (error instanceof KubeError && error.code === 'kube-not-found')
        return { completed: true, result: { exists: false, phase: 'absent' } };
      throw error;
    }
  });
