import type { Route53Client } from '@aws-sdk/client-route-53';
import { z } from 'zod';
import type { Route53Settings } from '../../domain/config.js';
import { actionContract, implement } from '../contract.js';
import { route53Failure } from './client.js';
import { describeRecord, findRecord } from './find.js';
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

export type Route53Deps = {
  readonly client: Route53Client;
  readonly settings: Route53Settings;
  readonly pollMs?: number;
};

/** Reads a record set as Route 53 holds it, so a fence is proven by the record, not by silence. */
export const route53Record = (deps: Route53Deps) =>
  implement(recordContract, async ({ zone, name, type, setIdentifier }, context) => {
    const signal = AbortSignal.any([context.signal, AbortSignal.timeout(context.timeoutMs)]);
    try {
      const record = await findRecord(deps.client, { zone, name, type, setIdentifier }, signal);
      if (!record) return { completed: true, result: { found: false } };
      return { completed: true, result: describeRecord(record) };
    } catch (error) {
      return {
        completed: false,
        result: {},
        error: route53Failure(error, deps.settings, `reading ${name} ${type}`),
      };
    }
  });
