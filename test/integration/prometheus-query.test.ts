import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { prometheusActions } from '../../src/actions/prometheus/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { actionRunner } from '../support/k8s/run-action.js';
import { startExporter, startPrometheus } from '../support/prometheus.js';

// A real Prometheus (Debian's package) scraping an exporter of the test's own every second.
const metrics = new Map<string, number>([
  ['replication_lag_seconds{region="us-west-2",store="orders"}', 3],
  ['replication_lag_seconds{region="us-west-2",store="ledger"}', 42],
  ['probe_success{prober="eu-west-1",target="api-use1"}', 0],
  ['probe_success{prober="ap-south-1",target="api-use1"}', 0],
]);
let exporter: Awaited<ReturnType<typeof startExporter>>;
let prometheus: Awaited<ReturnType<typeof startPrometheus>>;
let run: ReturnType<typeof actionRunner>;

beforeAll(async () => {
  exporter = await startExporter(metrics);
  prometheus = await startPrometheus(exporter.target);
  await prometheus.until('probe_success');
  // Loopback is fenced unless egress.allow names it, as in production.
  run = actionRunner(createRegistry(prometheusActions(prometheus.url, ['127.0.0.0/8'])), {});
}, 60_000);
afterAll(async () => {
  await prometheus?.stop();
  await exporter?.close();
});

describe('prometheus.query against a real Prometheus', () => {
  it('gives the replication lag at this moment and judges it with expect', async () => {
    const outcome = await run(
      'prometheus.query',
      { query: 'replication_lag_seconds{store="orders"}' },
      { expect: { value: { lt: 900 } } },
    );
    expect(outcome).toMatchObject({
      passed: true,
      result: { value: 3, series: 1, labels: { store: 'orders', job: 'lifeboat-test' } },
    });
    expect(Date.now() - Date.parse(String(outcome.result.evaluatedAt))).toBeLessThan(60_000);
  });

  it('takes the worst of several series: the lag of the store furthest behind', async () => {
    const outcome = await run(
      'prometheus.query',
      { query: 'replication_lag_seconds' },
      { expect: { value: { lt: 30 } } },
    );
    expect(outcome.passed).toBe(false);
    expect(outcome.result).toMatchObject({ value: 42, series: 2, labels: { store: 'ledger' } });
  });

  it('agrees the primary is down only when every prober sees it down', async () => {
    const down = await run(
      'prometheus.query',
      { query: 'probe_success{target="api-use1"}' },
      { expect: { value: 0 } },
    );
    expect(down).toMatchObject({ passed: true, result: { value: 0, series: 2 } });
    metrics.set('probe_success{prober="ap-south-1",target="api-use1"}', 1);
    await prometheus.until('probe_success{prober="ap-south-1"} == 1');
    const split = await run(
      'prometheus.query',
      { query: 'probe_success{target="api-use1"}' },
      { expect: { value: 0 } },
    );
    expect(split.passed).toBe(false);
    expect(split.result).toMatchObject({ value: 1, labels: { prober: 'ap-south-1' } });
  }, 30_000);

  it('reads a scalar', async () => {
    const outcome = await run('prometheus.query', { query: 'scalar(max(replication_lag_seconds))' });
    expect(outcome).toMatchObject({ passed: true, result: { value: 42, series: 1 } });
  });

  it('fails clearly when the query matches no series, naming what to check', async () => {
    const outcome = await run('prometheus.query', { query: 'replication_lag_seconds{store="nosuch"}' });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(
      /returned no series: check the metric name and labels, and that Prometheus scrapes the exporter \(http:\/\/127\.0\.0\.1:\d+\/targets\)/,
    );
  });

  it("passes on Prometheus's own words for a bad query", async () => {
    const outcome = await run('prometheus.query', { query: 'rate(replication_lag_seconds' });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(/^Prometheus refused the query \(bad_data\): .*parse error/);
  });

  it('refuses a range vector: it is not one number', async () => {
    const outcome = await run('prometheus.query', { query: 'replication_lag_seconds[1m]' });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(/gives a matrix, not a number/);
  });

  it('refuses a loopback Prometheus that egress.allow does not name', async () => {
    const fenced = actionRunner(createRegistry(prometheusActions(prometheus.url)), {});
    const outcome = await fenced('prometheus.query', { query: 'up' });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(/refused: .*loopback.*egress\.allow/);
  });

  it('says where to set the URL when neither the step nor the config gives one', async () => {
    const bare = actionRunner(createRegistry(prometheusActions(undefined, ['127.0.0.0/8'])), {});
    const outcome = await bare('prometheus.query', { query: 'up' });
    expect(outcome.error).toBe('no Prometheus URL: give url, or set prometheus.url in LIFEBOAT_CONFIG');
    const given = await bare('prometheus.query', { query: 'up', url: prometheus.url });
    expect(given).toMatchObject({ passed: true, result: { value: 1 } });
  });
});
