import { ChangeResourceRecordSetsCommand, GetChangeCommand } from '@aws-sdk/client-route-53';
import { setTimeout as sleep } from 'node:timers/promises';
import { implement } from '../contract.js';
import { route53Failure } from './client.js';
import { describeRecord, findRecord } from './find.js';
import type { Route53Deps } from './record.js';
import { setWeightContract } from './set-weight-contract.js';

/** Route 53 propagates within about a minute; asking every 5 s costs little and keeps the step short. */
const POLL_MS = 5_000;

/** UPSERT keeps everything of the record but its weight, waits for INSYNC, then proves it by reading the record back. */
export const route53SetWeight = (deps: Route53Deps) =>
  implement(setWeightContract, async ({ zone, name, type, setIdentifier, weight }, context) => {
    const signal = AbortSignal.any([context.signal, AbortSignal.timeout(context.timeoutMs)]);
    const key = { zone, name, type, setIdentifier };
    const what = `setting ${name} ${type} (${setIdentifier}) to weight ${weight}`;
    let step = 'reading the record';
    try {
      const record = await findRecord(deps.client, key, signal);
      if (!record)
        return {
          completed: false,
          result: {},
          error: `no ${type} record ${name} with set identifier ${setIdentifier} in zone ${zone}: check the name and identifier (aws route53 list-resource-record-sets --hosted-zone-id ${zone})`,
        };
      if (record.Weight === undefined)
        return {
          completed: false,
          result: {},
          error: `${name} ${type} (${setIdentifier}) is not a weighted record${record.Failover ? ` but a ${record.Failover} failover record: its health check decides, so fence it through the health check or a manual step` : ''}`,
        };
      const previous = record.Weight;
      step = 'changing the record';
      const changed = await deps.client.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zone,
          ChangeBatch: {
            Comment: `Lifeboat: weight ${previous} → ${weight}`,
            Changes: [{ Action: 'UPSERT', ResourceRecordSet: { ...record, Weight: weight } }],
          },
        }),
        { abortSignal: signal },
      );
      const changeId = (changed.ChangeInfo?.Id ?? '').replace(/^\/change\//, '');
      let status = changed.ChangeInfo?.Status;
      step = 'waiting for the change to be INSYNC';
      while (status !== 'INSYNC') {
        context.progress(`Route 53 change ${changeId} is ${status ?? 'unknown'}; asking again`);
        await sleep(deps.pollMs ?? POLL_MS, undefined, { signal });
        status = (await deps.client.send(new GetChangeCommand({ Id: changeId }), { abortSignal: signal }))
          .ChangeInfo?.Status;
      }
      step = 'reading the record back';
      const after = await findRecord(deps.client, key, signal);
      const result = {
        previous,
        changeId,
        inSync: true,
        ...(after ? describeRecord(after) : { found: false }),
      };
      if (after?.Weight !== weight)
        return {
          completed: false,
          result,
          error: `Route 53 said INSYNC but ${name} (${setIdentifier}) reads back with weight ${after?.Weight ?? 'none'}, not ${weight}: someone or something else changes this record`,
        };
      return { completed: true, result };
    } catch (error) {
      if (context.signal.aborted) return { completed: false, result: {}, error: `stopped while ${step}` };
      return {
        completed: false,
        result: {},
        error: `${route53Failure(error, deps.settings, what)} (while ${step})`,
      };
    }
  });
