import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, K8sName } from '../inputs.js';

export const namespaceExistsContract = actionContract({
  name: 'k8s.namespace-exists',
  summary: 'Whether a namespace exists',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject({ cluster: Cluster, name: K8sName.describe('namespace name') }),
  result: { exists: 'true when the namespace exists', phase: 'Active, Terminating or absent' },
});
