import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, Namespace, Within } from '../inputs.js';

export const workloadsReadyContract = actionContract({
  name: 'k8s.workloads-ready',
  summary: 'Deployments, StatefulSets and DaemonSets available, PVCs bound',
  readOnly: true,
  input: z.strictObject({
    cluster: Cluster,
    namespace: Namespace,
    within: Within.optional().describe('keep checking for up to this long (e.g. 5m)'),
  }),
  result: {
    ready: 'true when everything is available',
    workloads: 'workloads checked',
    notReady: 'names not yet available',
    pvcsPending: 'PVCs not Bound',
  },
});
