import { CoreV1Api } from '@kubernetes/client-node';
import { z } from 'zod';
import { ClusterName, K8sName } from '../inputs.js';
import type { KubeConfigSource } from './clients.js';
import { KubeError } from './errors.js';
import { kubeAction } from './kube-action.js';

const Input = z.strictObject({ cluster: ClusterName, name: K8sName });

/** Whether a namespace exists, and whether it is on its way out (Terminating). */
export const namespaceExists = (source: KubeConfigSource) =>
  kubeAction(source, Input, async ({ name }, kube) => {
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
