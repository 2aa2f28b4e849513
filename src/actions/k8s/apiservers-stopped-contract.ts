import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, Within } from '../inputs.js';

export const apiserversStoppedContract = actionContract({
  name: 'k8s.apiservers-stopped',
  summary: 'Every API server of the cluster (config clusters.NAME.apiServers) refuses TCP connections',
  readOnly: true,
  input: z.strictObject({
    cluster: Cluster,
    within: Within.optional().describe('keep asking for up to this long (e.g. 2m) until all refuse'),
  }),
  result: {
    stopped: 'true only when every address of every endpoint refused the connection',
    endpoints: 'per endpoint: stopped, and what each address did (refused, accepted, no answer, DNS error)',
    durationMs: 'how long the action took',
  },
});
