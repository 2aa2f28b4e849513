import { z } from 'zod';
import { WholeNumber } from '../inputs.js';
import { actionContract } from '../contract.js';
import { HostedZoneId, RecordName, RecordType, SetIdentifier } from './inputs.js';

export const setWeightContract = actionContract({
  name: 'route53.set-weight',
  summary:
    'Set the weight of a weighted Route 53 record (UPSERT of the record as it is, weight changed), wait until INSYNC, and read it back',
  readOnly: false,
  timeout: '5m',
  input: z.strictObject({
    zone: HostedZoneId.describe('hosted zone id, e.g. Z0123456789ABCDEFGHIJ'),
    name: RecordName.describe('record name, e.g. api.example.com'),
    type: RecordType.default('A').describe('record type (default A)'),
    setIdentifier: SetIdentifier.describe('the SetIdentifier of the weighted record (e.g. us-east-1)'),
    weight: WholeNumber.refine((w) => w <= 255, { message: 'a Route 53 weight is 0 to 255' }).describe(
      '0 to 255; 0 stops DNS answers pointing at it while another record of the name has weight',
    ),
  }),
  result: {
    previous: 'the weight before (for the rollback)',
    weight: 'the weight read back after the change was INSYNC',
    changeId: 'the Route 53 change id',
    inSync: 'true when GetChange said INSYNC',
    found: 'false when the record was gone when read back',
    name: 'the record name, fully qualified',
    type: 'the record type',
    setIdentifier: 'its SetIdentifier',
    failover: 'PRIMARY or SECONDARY (failover records)',
    values: 'its values, unchanged',
    ttl: 'its TTL in seconds, unchanged',
    alias: 'the alias target, unchanged',
    healthCheckId: 'the health check attached, unchanged',
  },
});
