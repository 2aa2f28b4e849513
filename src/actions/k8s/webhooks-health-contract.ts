import { z } from 'zod';
import { actionContract } from '../contract.js';
import { ClusterName } from '../inputs.js';

export const webhooksHealthContract = actionContract({
  name: 'k8s.webhooks-health',
  summary:
    'No admission webhook with failurePolicy Fail points at a Service without ready endpoints (it would refuse writes)',
  readOnly: true,
  timeout: '1m',
  input: z.strictObject({
    cluster: ClusterName.describe('cluster name from the config (primary, standby, …)'),
  }),
  result: {
    ok: 'true when every failurePolicy Fail webhook that calls a Service has a ready endpoint',
    blocking: 'per blocking webhook: kind, configuration, webhook, service (namespace/name) and why',
    checked: 'how many failurePolicy Fail webhooks calling a Service were checked',
    notChecked: 'webhooks called by URL (outside the cluster): configuration/webhook, not checked',
  },
});
