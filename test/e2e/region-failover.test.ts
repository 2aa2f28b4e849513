/**
 * The shipped region failover, through signed Slack payloads to the bot over HTTP: triage to the
 * failover, its checks, every step with its approvals, against the Route 53 emulator, a real
 * Prometheus scraping an exporter of the test's own (blackbox probes and the replica's lag), the
 * Kubernetes API emulator as the standby, and HTTP servers for the public URL and the database API.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { deployment, node } from '../../src/sandbox/k8s/objects.js';
import { lifeboat } from '../support/cli.js';
import { CHANNEL, startWorld, type World } from '../support/e2e.js';
import { startExporter, startPrometheus } from '../support/prometheus.js';
import { freePort, REDIS_URL } from '../support/redis.js';
import { startRoute53, type RecordSet, type Route53Emulator } from '../support/route53/emulator.js';
import { copyOfShippedRunbooks } from '../support/runbook-folder.js';

const ZONE = 'Z0123456789FAILOVER';
const RECORD = 'api.example.com';
const TOKEN = 'db-operator-token-0123456789';
const PART_OF = 'app.kubernetes.io/part-of';

const weighted = (setIdentifier: string, weight: number, address: string): RecordSet => ({
  name: `${RECORD}.`,
  type: 'A',
  setIdentifier,
  weight,
  ttl: 60,
  values: [address],
});

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let api: K8sEmulator;
let route53: Route53Emulator;
let exporter: Awaited<ReturnType<typeof startExporter>>;
let prometheus: Awaited<ReturnType<typeof startPrometheus>>;
let publicSite: Awaited<ReturnType<typeof listen>>;
let database: Awaited<ReturnType<typeof listen>>;
let runbooks: Awaited<ReturnType<typeof copyOfShippedRunbooks>>;
let world: World;
let primaryUrl = '';
const promotions: { authorization?: string; body: unknown }[] = [];

// Other regions' blackbox probers see the primary down; the standby's replica is 12 s behind.
const metrics = new Map<string, number>();
const LAG = 'pg_replication_lag_seconds{region="us-west-2"}';
const REPLICA = 'pg_replication_is_replica{region="us-west-2"}';

beforeAll(async () => {
  // Nothing listens on the primary's URL: the primary region is gone.
  primaryUrl = `http://127.0.0.1:${await freePort()}/health`;
  for (const prober of ['eu-west-1', 'ap-south-1'])
    metrics.set(`probe_success{job="lifeboat-primary",instance="${primaryUrl}",region="${prober}"}`, 0);
  metrics.set(LAG, 12);
  metrics.set(REPLICA, 1);
  metrics.set('pg_up{region="us-west-2"}', 1);
  exporter = await startExporter(metrics);
  prometheus = await startPrometheus(exporter.target, { honorLabels: true });
  await prometheus.until('probe_success{job="lifeboat-primary"}');

  route53 = await startRoute53({
    zones: {
      [ZONE]: [weighted('us-east-1', 100, '198.51.100.10'), weighted('us-west-2', 0, '203.0.113.20')],
    },
  });
  // Users reach whichever region Route 53 weighs most; the primary answers nothing any more.
  publicSite = await listen((_request, response) => {
    const [serving] = [...route53.records(ZONE)].sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0));
    if (serving?.setIdentifier === 'us-west-2') response.writeHead(200).end('{"region":"us-west-2"}');
    else response.writeHead(503).end('primary unreachable');
  });
  // The database operator's API: promotes the replica, answering once Prometheus sees it promoted.
  database = await listen((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      promotions.push({ authorization: request.headers.authorization, body: JSON.parse(body) });
      if (request.headers.authorization !== `Bearer ${TOKEN}`) return response.writeHead(401).end();
      metrics.set(REPLICA, 0);
      prometheus.until(`${REPLICA} == 0`).then(
        () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"promoted":true}'),
        () => response.writeHead(500).end(),
      );
    });
  });

  api = await K8sEmulator.create({ tickMs: 100 });
  api.seed('nodes', node('standby-a'), node('standby-b'));
  api.seed(
    'deployments',
    deployment('payments', 'api', { replicas: 1, labels: { [PART_OF]: 'payments' } }),
    deployment('payments', 'worker', { replicas: 0, labels: { [PART_OF]: 'payments' } }),
  );
  api.seed('horizontalpodautoscalers', {
    metadata: { name: 'api', namespace: 'payments' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [],
    },
    status: { currentReplicas: 1, desiredReplicas: 1 },
  });

  runbooks = await copyOfShippedRunbooks();
  // Lifeboat's own vantage point watches the primary for 2 s here, not a minute.
  await runbooks.edit('region-failover.yaml', 'within: 1m }', 'within: 2s }');
  const kubeconfig = path.join(runbooks.dir, 'kubeconfig.json');
  await writeFile(kubeconfig, api.kubeconfigFile(['standby-usw2']));
  world = await startWorld({
    runbooks: runbooks.dir,
    config: [
      'access:',
      '  approvers: [UALICE, UBOB, UCAROL]',
      'clusters:',
      // The primary's context is gone with its region: its API server answers nothing.
      '  primary: { context: primary-use1, region: us-east-1 }',
      '  standby: { context: standby-usw2, region: us-west-2 }',
      `route53: { endpoint: "${route53.endpoint}" }`,
      `prometheus: { url: "${prometheus.url}" }`,
      "egress: { allow: ['127.0.0.0/8'] }",
    ].join('\n'),
    env: {
      KUBECONFIG: kubeconfig,
      HOME: os.tmpdir(),
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      AWS_EC2_METADATA_DISABLED: 'true',
      LIFEBOAT_SECRET_KEY: randomBytes(32).toString('base64'),
    },
  });
}, 90_000);

afterAll(async () => {
  await world?.stop();
  await runbooks?.remove();
  await api?.close();
  await route53?.close();
  await prometheus?.stop();
  await exporter?.close();
  publicSite?.server.close();
  database?.server.close();
});

/** The buttons the card draws as suggested (Slack's primary style), by their text. */
const suggested = (blocks: string): string[] =>
  blocks
    .split('{"type":"button"')
    .filter((button) => button.includes('"style":"primary"'))
    .map((button) => /"text":"([^"]+)"/.exec(button)?.[1] ?? '');

describe('a region failover through Slack', () => {
  it('fences, measures the lag at the fence as the RPO, promotes, scales, shifts, and the standby serves', async () => {
    const { slack, emulator, until, cardText, store } = world;
    const card = () => until(() => world.card(), 'the card');

    await slack.command('UALICE', 'declare us-east-1 is down');
    await until(() => cardText().includes('What is failing?'), 'the first question');
    await slack.click('UALICE', await card(), 'The whole region or cloud zone is down');
    await until(
      () => cardText().includes('Do the probers in other regions see the primary down too?'),
      'the vantage-point question',
    );
    await until(() => cardText().includes('Suggested by the probe'), 'the blackbox probes read', 30_000);
    expect(suggested(cardText())).toEqual(['Yes, it is down from everywhere']);
    await slack.click('UALICE', await card(), 'Yes, it is down from everywhere');
    await until(() => cardText().includes('Is the standby region healthy?'), 'the standby question');
    await until(() => cardText().includes('Suggested by the probe'), 'the standby probe', 30_000);
    expect(suggested(cardText())).toEqual(['Yes, fail over to the standby region']);
    await slack.click('UALICE', await card(), 'Yes, fail over to the standby region');

    await until(() => cardText().includes('Set parameters'), 'the parameters button');
    await slack.click('UALICE', await card(), 'Set parameters');
    const modal = await until(() => emulator.views('UALICE').find((v) => v.state === 'open'), 'the modal');
    await slack.submitView('UALICE', modal, {
      namespace: 'payments',
      selector: `${PART_OF}=payments`,
      replicas: '3',
      primaryUrl,
      publicUrl: `${publicSite.url}/`,
      hostedZone: ZONE,
      recordName: RECORD,
      primaryRegion: 'us-east-1',
      standbyRegion: 'us-west-2',
      standbyWeight: '100',
      promoteUrl: `${database.url}/promote`,
      databaseToken: TOKEN,
    });
    await until(
      () => cardText().includes('Next: Fence the primary'),
      'the prerequisite checks to pass',
      30_000,
    );
    const id = /"text":"(INC-[^ ]+) · declared/.exec(cardText())?.[1] ?? '';
    expect(id).not.toBe('');

    /** Runs the next step; a gated one is approved by `approver`, after the requester is refused. */
    const run = async (title: string, approver?: string) => {
      await until(
        () => cardText().includes(`Next: ${title}`) && cardText().includes('"Run"'),
        `"${title}" ready`,
      );
      await slack.click('UALICE', await card(), 'Run');
      if (!approver) return;
      await until(() => cardText().includes('"Approve"'), `approval of "${title}"`);
      const refusals = () =>
        emulator
          .ephemerals(CHANNEL, 'UALICE')
          .filter((e) => e.text.includes('You requested this run; someone else must approve it.')).length;
      const before = refusals();
      await slack.click('UALICE', await card(), 'Approve');
      await until(() => refusals() > before, `the requester refused approving "${title}"`);
      await slack.click(approver, await card(), 'Approve');
    };
    const done = async (title: string) => {
      await until(() => cardText().includes('"Done"'), `"${title}" waiting for a person`);
      await slack.click('UALICE', await card(), 'Done');
    };
    const weights = () =>
      Object.fromEntries(route53.records(ZONE).map((r) => [r.setIdentifier ?? '', r.weight]));

    await run('Fence the primary', 'UBOB');
    await until(() => cardText().includes('Next: Stop the primary'), 'the fence verified', 30_000);
    expect(weights()).toEqual({ 'us-east-1': 0, 'us-west-2': 0 });
    expect(world.thread().some((m) => m.text.includes('✅ Verify Route 53 holds the primary'))).toBe(true);

    await run("Stop the primary's writers", 'UCAROL');
    await done("Stop the primary's writers");

    // Writes stopped at the fence: the replica is 37 s behind now, and that is the data lost.
    metrics.set(LAG, 37);
    await prometheus.until(`${LAG} == 37`);
    await run('Replication lag at the fence');
    await run("Promote the standby's database", 'UBOB');
    await run("Scale the standby's workloads", 'UCAROL');
    await run("Send traffic to the standby region's record", 'UBOB');
    await until(
      () => cardText().includes('Next: If traffic is not on Route 53 weights'),
      'the shift verified',
      30_000,
    );
    await run('If traffic is not on Route 53 weights');
    await done('If traffic is not on Route 53 weights');
    await run('Users reach the application through the standby');
    await until(() => cardText().includes('✅ restored'), 'service restored', 30_000);

    // What the responder sees: the RPO is the lag at the fence, not the 12 s before it, nor a backup's age.
    expect(cardText()).toContain('37s (target 15m)');
    expect(JSON.stringify(world.thread().map((m) => m.blocks))).toContain(
      'Replication lag at this step: 37s, the RPO of this recovery',
    );
    expect(weights()).toEqual({ 'us-east-1': 0, 'us-west-2': 100 });
    expect(api.state.find('deployments', 'payments', 'api')?.spec?.replicas).toBe(3);
    expect(api.state.find('deployments', 'payments', 'worker')?.spec?.replicas).toBe(3);
    expect(api.state.find('horizontalpodautoscalers', 'payments', 'api')?.spec?.minReplicas).toBe(3);
    expect(promotions).toEqual([
      { authorization: `Bearer ${TOKEN}`, body: { region: 'us-west-2', incident: id } },
    ]);

    const { events } = await store.read(id);
    const approvals = events.flatMap((e) => (e.type === 'ApprovalGranted' ? [[e.step, e.by]] : []));
    expect(approvals).toEqual([
      ['fence-primary', 'UBOB'],
      ['fence-writers', 'UCAROL'],
      ['promote-database', 'UBOB'],
      ['scale-standby', 'UCAROL'],
      ['shift-traffic', 'UBOB'],
    ]);
    const requesters = events.flatMap((e) => (e.type === 'StepRequested' ? [e.by] : []));
    expect(new Set(requesters)).toEqual(new Set(['UALICE']));
    expect(events.find((e) => e.type === 'StepFinished' && e.step === 'rpo-at-fence')).toMatchObject({
      restorePoint: { lagSeconds: 37 },
    });

    await slack.click('UALICE', await card(), 'Resolve');
    await until(() => cardText().includes('Resolved'), 'the resolved card');
    const env = { REDIS_URL, LIFEBOAT_REDIS_PREFIX: world.prefix, PATH: process.env.PATH ?? '' };
    const report = await lifeboat(['report', id], { env });
    expect(report.stdout).toContain(
      '- RPO: 37s (target 15m) ✅, from the replication lag at "Replication lag at the fence (the data the failover loses) is within the RPO target"',
    );
  }, 240_000);
});
