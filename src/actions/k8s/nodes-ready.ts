import { CoreV1Api, type V1Node } from '@kubernetes/client-node';
import type { KubeConfigSource } from './clients.js';
import { kubeAction } from './kube-action.js';
import { nodesReadyContract } from './nodes-ready-contract.js';

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
