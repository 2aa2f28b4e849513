import { z } from 'zod';
import { actionContract } from '../contract.js';
import { etcdTarget } from './target-inputs.js';

export const memberListContract = actionContract({
  name: 'etcd.member-list',
  summary: "etcd's members: ID, name, peer and client URLs, whether each has started",
  readOnly: true,
  timeout: '1m',
  input: z.strictObject(etcdTarget),
  result: {
    members: 'per member: id (hex, as member remove takes it), name, peerURLs, clientURLs, started, learner',
    count: 'how many members the cluster has',
    started: 'how many of them have started (an added member is unstarted until it joins)',
    unstarted: 'how many were added but have not joined yet',
    names: 'the started members’ names, comma-separated, sorted, so a check can compare them',
  },
});
