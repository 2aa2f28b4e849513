import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, WholeNumber, Within } from '../inputs.js';
import { Instant, NameList } from './times.js';

export const nodeHeartbeatsContract = actionContract({
  name: 'k8s.node-heartbeats',
  summary:
    'Every Node heartbeats after the restore (its Lease in kube-node-lease renews); lists ghost Nodes and missing ones',
  readOnly: true,
  timeout: '3m',
  input: z.strictObject({
    cluster: Cluster,
    after: Instant.optional().describe(
      "ISO time (e.g. the restore's end): a heartbeat later than this counts; without it, only one seen while watching counts",
    ),
    within: Within.optional().describe(
      'keep watching up to this long (default 1m; kubelets renew every 10s)',
    ),
    expectedNodes: NameList.optional().describe(
      'the node names the cluster should have (e.g. from the cloud provider): those absent from the API are listed as missing',
    ),
    expectedCount: WholeNumber.optional().describe(
      'how many Nodes heartbeated before the incident: fewer heartbeating fails',
    ),
  }),
  result: {
    ok: 'true when every Node heartbeats, none is missing and at least expectedCount do',
    total: 'Nodes in the API',
    heartbeating: 'names of the Nodes whose Lease renewed',
    ghosts:
      'Nodes in the API whose Lease did not renew: restored from the snapshot while the machine is gone, or its kubelet is down',
    missing:
      'Nodes not in the API: expected names absent, and kubelets that heartbeat (a renewed Lease) without a Node object (joined after the snapshot)',
    nodes: 'per Node: name, ready (the Ready condition), renewTime, heartbeating',
  },
});
