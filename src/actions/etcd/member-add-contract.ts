import { z } from 'zod';
import { actionContract } from '../contract.js';
import { etcdTarget } from './target-inputs.js';
import { MemberName } from './member-remove-contract.js';

export const PeerUrl = z.string().regex(/^https?:\/\/[A-Za-z0-9.:[\]-]+$/, {
  message: 'expected a peer URL such as https://10.0.0.2:2380',
});

export const memberAddContract = actionContract({
  name: 'etcd.member-add',
  summary: 'Add a member to the etcd cluster; it joins when started with --initial-cluster-state existing',
  readOnly: false,
  timeout: '1m',
  input: z.strictObject({
    ...etcdTarget,
    name: MemberName.describe('name of the new member (kubeadm: the node name)'),
    peerUrls: z
      .union([z.string().transform((text) => text.split(',').map((url) => url.trim())), z.array(z.string())])
      .pipe(z.array(PeerUrl).min(1))
      .describe('its peer URL(s), a list or comma-separated, e.g. https://10.0.0.2:2380'),
  }),
  result: {
    id: 'hex ID of the added member',
    name: 'its name',
    initialCluster: 'NAME=PEER_URL of every member, for the new member’s --initial-cluster',
    initialClusterState: 'always existing: the new member joins, it does not found a cluster',
    adopted:
      'true when an unstarted member with these peer URLs was already there (a retry), so none was added',
  },
});
