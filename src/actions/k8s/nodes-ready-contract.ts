import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, WholeNumber } from '../inputs.js';

export const nodesReadyContract = actionContract({
  name: 'k8s.nodes-ready',
  summary: 'Count Ready nodes',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject({
    cluster: Cluster,
    minReady: WholeNumber.optional().describe('fewest Ready nodes that pass (default: all)'),
  }),
  result: {
    ready: 'Ready nodes',
    total: 'all nodes',
    allReady: 'true when at least minReady (default: all) are Ready',
    notReady: 'names of nodes not Ready',
  },
});
