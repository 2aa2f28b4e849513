import { z } from 'zod';
import { actionContract } from '../contract.js';
import { WholeNumber } from '../inputs.js';
import { accessInput } from './target-inputs.js';

export const alarmsContract = actionContract({
  name: 'etcd.alarms',
  summary: 'etcd raises no alarm (NOSPACE, CORRUPT) and no member’s database is near its space quota',
  readOnly: true,
  timeout: '1m',
  input: z.strictObject({
    cluster: accessInput.cluster.describe('cluster whose etcd (config clusters.NAME.etcd) to ask'),
    endpoints: accessInput.endpoints.describe('etcd endpoints, instead of the cluster’s'),
    quotaBytes: WholeNumber.optional().describe(
      "the members' --quota-backend-bytes (default 2147483648, etcd's default)",
    ),
    maxPercent: WholeNumber.optional().describe(
      'highest share of the quota a database may fill before this fails (default 80)',
    ),
  }),
  result: {
    ok: 'true when no alarm is raised and every database is below maxPercent of the quota',
    alarms: 'raised alarms: memberId (hex, as etcdctl member list shows it) and alarm (NOSPACE, CORRUPT)',
    members: 'per endpoint: dbSize, dbSizeInUse (bytes) and percentOfQuota',
  },
});
