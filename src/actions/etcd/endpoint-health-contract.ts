import { z } from 'zod';
import { actionContract } from '../contract.js';
import { accessInput } from './target-inputs.js';

export const endpointHealthContract = actionContract({
  name: 'etcd.endpoint-health',
  summary: 'Whether etcd endpoints are healthy, whether a quorum holds, and which members are down',
  readOnly: true,
  timeout: '2m',
  input: z.strictObject({
    cluster: accessInput.cluster.describe('cluster whose etcd to use'),
    endpoints: accessInput.endpoints.describe('etcd endpoints, instead of cluster'),
  }),
  result: {
    healthy: 'true when every endpoint is healthy',
    verdict:
      'healthy, degraded (quorum held, some members down), unhealthy (quorum lost) or unknown (no endpoint answered)',
    quorum: 'true when a quorum serves reads, false when members answer but none can; absent when unknown',
    why: 'what is down, or why Lifeboat could not tell',
    endpoints: 'per endpoint: healthy, answered, member, peerURLs, took, error',
    members: 'the member list (id, name, peerURLs, clientURLs, started), empty when no member answered',
    downCount: 'how many members are down (unhealthy, unreachable or unstarted)',
    down: 'their names, comma-separated',
    downPeerUrls: 'their peer URLs, comma-separated (etcd.member-add adds a member back there)',
  },
});
