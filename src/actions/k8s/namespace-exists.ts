import { CoreV1Api } from '@kubernetes/client-node';
import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, K8sName } from '../inputs.js';
import type { KubeConfigSource } from './clients.js';
import { KubeError } from './errors.js';
import { kubeAction } from './kube-action.js';

export const namespaceExistsContract = actionContract({
  name: 'k8s.namespace-exists',
  summary: 'Whether a namespace exists',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject({ cluster: Cluster, name: K8sName.describe('namespace name') }),
  result: { exists: 'true when the namespace exists', phase: 'Active, Terminating or absent' },
});

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
      if (error instanceof KubeError && error.status === 404)
        return { completed: true, result: { exists: false, phase: 'absent' } };
      throw error;
    }
  });
