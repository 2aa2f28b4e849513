import { CoreV1Api, type V1Node } from '@kubernetes/client-node';
import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, WholeNumber } from '../inputs.js';
import type { KubeConfigSource } from './clients.js';
import { kubeAction } from './kube-action.js';

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

const isReady = (node: V1Node): boolean =>
  node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** How many nodes are Ready; passes when at least `minReady` (default: every node) are. */
export const nodesReady = (source: KubeConfigSource) =>
  kubeAction(source, nodesReadyContract, async ({ minReady }, kube) => {
    const nodes = await kube.call({ verb: 'list', resource: { plural: 'nodes', kind: 'Node' } }, (options) =>
      kube.api(CoreV1Api).listNode({}, options),
    );
    const notReady = nodes.items.filter((node) => !isReady(node)).map((node) => node.metadata?.name ?? '?');
    const total = nodes.items.length;
    const ready = total - notReady.length;
    const wanted = minReady ?? total;
    // A cluster with no nodes at all is not "all ready".
    const allReady = total > 0 && ready >= wanted;
    return {
      completed: true,
      result: { ready, total, allReady, notReady },
      ...(allReady
        ? {}
        : {
            error: `${ready} of ${total} nodes are Ready, ${wanted === total ? 'all' : `at least ${wanted}`} needed`,
          }),
    };
  });
