import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createRegistry } from '../../src/actions/registry.js';
import { route53Actions } from '../../src/actions/route53/index.js';
import { actionRunner } from '../support/k8s/run-action.js';
import { startRoute53, type Route53Emulator, type RecordSet } from '../support/route53/emulator.js';

const ZONE = 'Z0123456789EXAMPLE';
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

const weighted = (setIdentifier: string, weight: number, address: string): RecordSet => ({
  name: 'api.example.com.',
  type: 'A',
  setIdentifier,
  weight,
  ttl: 60,
  values: [address],
  healthCheckId: `hc-${setIdentifier}`,
});

let route53: Route53Emulator;
let run: ReturnType<typeof actionRunner>;

beforeEach(async () => {
  route53 = await startRoute53({
    zones: {
      [ZONE]: [
        weighted('us-east-1', 100, '198.51.100.10'),
        weighted('us-west-2', 0, '203.0.113.20'),
        { name: 'api.example.com.', type: 'TXT', ttl: 300, values: ['"owner=payments"'] },
        {
          name: 'db.example.com.',
          type: 'CNAME',
          setIdentifier: 'primary',
          failover: 'PRIMARY',
          ttl: 60,
          values: ['db-use1.example.com'],
        },
      ],
    },
    pendingReads: 2,
  });
  const actions = route53Actions(
    { endpoint: route53.endpoint, region: 'us-east-1' },
    { credentials: CREDENTIALS, pollMs: 20 },
  );
  run = actionRunner(createRegistry(actions), {});
});
afterEach(() => route53.close());

describe('route53.set-weight', () => {
  it('sets the primary weight to 0, waits through PENDING to INSYNC, and reads the record back', async () => {
    const outcome = await run('route53.set-weight', {
      zone: `/hostedzone/${ZONE}`,
      name: 'API.example.com',
      setIdentifier: 'us-east-1',
      weight: '0',
    });
    expect(outcome).toMatchObject({
      passed: true,
      result: {
        previous: 100,
        weight: 0,
        inSync: true,
        values: ['198.51.100.10'],
        healthCheckId: 'hc-us-east-1',
      },
    });
    expect(outcome.result.changeId).toMatch(/^C[0-9A-F]+$/);
    // PENDING in the change's answer and at two GetChange calls, then INSYNC at the third.
    expect(outcome.progress.filter((line) => /is PENDING; asking again/.test(line))).toHaveLength(3);
    expect(route53.requests.filter((r) => r.startsWith('GET /2013-04-01/change/'))).toHaveLength(3);
    // Only the weight changed: the other region's record and the TXT record are as they were.
    const records = route53.records(ZONE);
    expect(records.find((r) => r.setIdentifier === 'us-east-1')).toEqual(
      weighted('us-east-1', 0, '198.51.100.10'),
    );
    expect(records.find((r) => r.setIdentifier === 'us-west-2')).toEqual(
      weighted('us-west-2', 0, '203.0.113.20'),
    );
    expect(records.find((r) => r.type === 'TXT')?.values).toEqual(['"owner=payments"']);
  });

  it('restores the previous weight recorded by the fence (the rollback)', async () => {
    const fence = await run('route53.set-weight', {
      zone: ZONE,
      name: 'api.example.com',
      setIdentifier: 'us-east-1',
      weight: 0,
    });
    const back = await run('route53.set-weight', {
      zone: ZONE,
      name: 'api.example.com',
      setIdentifier: 'us-east-1',
      weight: String(fence.result.previous),
    });
    expect(back).toMatchObject({ passed: true, result: { previous: 0, weight: 100 } });
  });

  it('refuses a record that does not exist, and says how to list the zone', async () => {
    const outcome = await run('route53.set-weight', {
      zone: ZONE,
      name: 'api.example.com',
      setIdentifier: 'eu-west-1',
      weight: 0,
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(
      /no A record api\.example\.com\. with set identifier eu-west-1 .*list-resource-record-sets --hosted-zone-id Z0123456789EXAMPLE/,
    );
    expect(route53.requests.some((r) => r.startsWith('POST'))).toBe(false);
  });

  it('refuses to "fence" a failover record by weight, and says what decides it', async () => {
    const outcome = await run('route53.set-weight', {
      zone: ZONE,
      name: 'db.example.com',
      type: 'CNAME',
      setIdentifier: 'primary',
      weight: 0,
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(
      /not a weighted record but a PRIMARY failover record: its health check decides/,
    );
  });

  it('words a missing hosted zone as Route 53 sends it (NoSuchHostedZone)', async () => {
    const outcome = await run('route53.set-weight', {
      zone: 'ZNOSUCHZONE',
      name: 'api.example.com',
      setIdentifier: 'us-east-1',
      weight: 0,
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(/No hosted zone found with ID: ZNOSUCHZONE: check the zone id/);
  });

  it('rejects a weight Route 53 would refuse before sending anything', async () => {
    const outcome = await run('route53.set-weight', {
      zone: ZONE,
      name: 'api.example.com',
      setIdentifier: 'us-east-1',
      weight: 256,
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(/weight: a Route 53 weight is 0 to 255/);
    expect(route53.requests).toEqual([]);
  });
});

describe('route53.record', () => {
  it("reads a weighted record's weight, so a fence is proven by the record", async () => {
    const outcome = await run(
      'route53.record',
      { zone: ZONE, name: 'api.example.com', setIdentifier: 'us-west-2' },
      { expect: { weight: 0 } },
    );
    expect(outcome).toMatchObject({
      passed: true,
      result: { found: true, weight: 0, setIdentifier: 'us-west-2', values: ['203.0.113.20'] },
    });
  });

  it('reads a failover record and its role', async () => {
    const outcome = await run('route53.record', {
      zone: ZONE,
      name: 'db.example.com',
      type: 'CNAME',
      setIdentifier: 'primary',
    });
    expect(outcome).toMatchObject({
      passed: true,
      result: { failover: 'PRIMARY', values: ['db-use1.example.com'] },
    });
  });

  it('fails the expectation when the primary still has weight (the fence did not hold)', async () => {
    const outcome = await run(
      'route53.record',
      { zone: ZONE, name: 'api.example.com', setIdentifier: 'us-east-1' },
      { expect: { weight: 0 } },
    );
    expect(outcome.passed).toBe(false);
    expect(outcome.result.weight).toBe(100);
  });

  it('says found: false for a record that is not there', async () => {
    const outcome = await run('route53.record', {
      zone: ZONE,
      name: 'www.example.com',
      setIdentifier: 'us-east-1',
    });
    expect(outcome).toMatchObject({ passed: true, result: { found: false } });
  });
});

describe('the Route 53 emulator', () => {
  it('refuses an unsigned request as Route 53 does', async () => {
    const answer = await fetch(`${route53.endpoint}/2013-04-01/hostedzone/${ZONE}/rrset`);
    expect(answer.status).toBe(403);
    expect(await answer.text()).toMatch(/<Code>MissingAuthenticationToken<\/Code>/);
  });

  it('refuses an invalid batch whole, as Route 53 does (InvalidChangeBatch)', async () => {
    const { ChangeResourceRecordSetsCommand, Route53Client } = await import('@aws-sdk/client-route-53');
    const client = new Route53Client({
      endpoint: route53.endpoint,
      region: 'us-east-1',
      credentials: CREDENTIALS,
    });
    const change = client.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        ChangeBatch: {
          Changes: [
            { Action: 'UPSERT', ResourceRecordSet: { ...toSdk(weighted('us-east-1', 5, '198.51.100.10')) } },
            { Action: 'DELETE', ResourceRecordSet: toSdk(weighted('eu-west-1', 1, '192.0.2.1')) },
          ],
        },
      }),
    );
    await expect(change).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringMatching(
        /Tried to delete resource record set \[name='api\.example\.com\.', type='A', set-identifier='eu-west-1'\] but it was not found/,
      ),
    });
    expect(route53.records(ZONE).find((r) => r.setIdentifier === 'us-east-1')?.weight).toBe(100);
    client.destroy();
  });
});

function toSdk(r: RecordSet) {
  return {
    Name: r.name,
    Type: r.type as 'A',
    SetIdentifier: r.setIdentifier,
    Weight: r.weight,
    TTL: r.ttl,
    ResourceRecords: r.values.map((Value) => ({ Value })),
  };
}
