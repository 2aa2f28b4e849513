import type { Route53Client } from '@aws-sdk/client-route-53';
import type { Route53Settings } from '../../domain/config.js';
import { implement } from '../contract.js';
import { route53Failure } from './client.js';
import { describeRecord, findRecord } from './find.js';
import { recordContract } from './record-contract.js';

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
