import { z } from 'zod';
import { actionContract } from '../contract.js';
import { WholeNumber, Within } from '../inputs.js';
import { etcdTarget } from './target-inputs.js';

export const endpointStatusContract = actionContract({
  name: 'etcd.endpoint-status',
  summary: "Each etcd endpoint's revision, raft index, leader, version and database size",
  readOnly: true,
  timeout: '1m',
  input: z.strictObject({
    ...etcdTarget,
    maxRevisionSpread: WholeNumber.optional().describe(
      'largest revision difference between members that still counts as level (default 0)',
    ),
    within: Within.optional().describe(
      'keep asking up to this long (e.g. 10m) until every member answers, level',
    ),
  }),
  result: {
    endpoints:
      'per endpoint asked: endpoint, answered, memberId, revision, raftIndex, raftAppliedIndex, leader, isLeader, version, dbSize, errors',
    answered: 'how many endpoints answered',
    asked: 'how many endpoints were asked',
    allAnswered: 'true when every endpoint answered',
    leader: 'member ID (hex) of the leader the answering members agree on, empty if they do not',
    revisionSpread: 'highest minus lowest revision among the answering members (0: they are level)',
    raftIndexSpread: 'highest minus lowest raft index among the answering members',
    level:
      'true when every endpoint answered and revisionSpread is at most maxRevisionSpread: a new member has caught up',
  },
});
