import { z } from 'zod';
import { actionContract } from '../contract.js';
import { HostedZoneId, RecordName, RecordType, SetIdentifier } from './inputs.js';

export const recordContract = actionContract({
  name: 'route53.record',
  summary: "Read one Route 53 record set: its weight, failover role and values (a fence's independent check)",
  readOnly: true,
  timeout: '1m',
  input: z.strictObject({
    zone: HostedZoneId.describe('hosted zone id, e.g. Z0123456789ABCDEFGHIJ'),
    name: RecordName.describe('record name, e.g. api.example.com'),
    type: RecordType.default('A').describe('record type (default A)'),
    setIdentifier: SetIdentifier.optional().describe('the SetIdentifier of a weighted or failover record'),
  }),
  result: {
    found: 'true when the record set exists',
    name: 'the record name, fully qualified',
    type: 'the record type',
    setIdentifier: 'its SetIdentifier',
    weight: 'its weight (weighted records); 0 takes it out of DNS answers while another record has weight',
    failover: 'PRIMARY or SECONDARY (failover records)',
    values: 'its values (addresses, names)',
    alias: 'the alias target, if it is an alias',
    ttl: 'its TTL in seconds',
    healthCheckId: 'the health check attached, if any',
  },
});
