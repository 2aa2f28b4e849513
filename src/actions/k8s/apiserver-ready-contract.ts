import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, Within } from '../inputs.js';

export const apiserverReadyContract = actionContract({
  name: 'k8s.apiserver-ready',
  summary: "Ask the API server's /readyz",
  readOnly: true,
  input: z.strictObject({
    cluster: Cluster,
    within: Within.optional().describe('keep asking for up to this long (e.g. 5m) until ready'),
  }),
  result: {
    ready: 'true when /readyz answers ok',
    status: 'HTTP status or error',
    verdict:
      'healthy (ready), unhealthy (it answered not ready, or its host refused the connection) or unknown (no answer: timeout, DNS, unreachable network)',
    why: 'for unknown: what kept Lifeboat from asking',
    durationMs: 'how long the action took',
  },
});
