import { z } from 'zod';
import { ClusterName } from '../inputs.js';
import { actionContract } from '../contract.js';

export const versionContract = actionContract({
  name: 'k8s.version',
  summary: 'Read the Kubernetes version of a cluster',
  readOnly: true,
  timeout: '1m',
  input: z.strictObject({
    cluster: ClusterName.describe('cluster name from the config (primary, standby, …)'),
  }),
  result: { gitVersion: 'e.g. v1.31.2', minor: 'minor version, e.g. 31' },
});
