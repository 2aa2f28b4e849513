import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { LifeboatConfig } from '../../src/domain/config.js';

const EXAMPLE = `
access:
  responders: [U0123, "@sre"]
  approvers:  ["@sre-leads"]
clusters:
  primary: { context: prod-use1, region: us-east-1 }
  standby: { context: prod-usw2 }
  drill:   { context: drill-use1 }
drills:
  cluster: drill
  schedule: [{ runbook: etcd-snapshot-restore, cron: "0 3 1 * *" }]
channels: { alerts: "#dr-alerts", status: "#status" }
`;

describe('the LIFEBOAT_CONFIG file', () => {
  it('accepts the documented example', () => {
    const config = LifeboatConfig.parse(parse(EXAMPLE));
    expect(config.access.approvers).toEqual(['@sre-leads']);
    expect(config.clusters.primary).toEqual({ context: 'prod-use1', region: 'us-east-1' });
    expect(config.drills.schedule[0]?.cron).toBe('0 3 1 * *');
  });

  it('means "anyone may respond" when there is no file at all', () => {
    expect(LifeboatConfig.parse({})).toEqual({
      access: {},
      clusters: {},
      drills: { schedule: [], clusters: {} },
      s3: {},
      egress: { allow: [] },
      backups: { interval: '5m', etcd: [], velero: [], storageLocations: [] },
      channels: {},
      route53: { region: 'us-east-1' },
      prometheus: {},
    });
  });

  it('rejects a misspelt key and a malformed cron, naming where', () => {
    const typo = LifeboatConfig.safeParse({ access: { approver: ['@sre-leads'] } });
    expect(typo.success).toBe(false);
    expect(typo.error?.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['approver'],
      path: ['access'],
    });
    const cron = LifeboatConfig.safeParse({ drills: { schedule: [{ runbook: 'x', cron: 'monthly' }] } });
    expect(cron.error?.issues[0]?.message).toMatch(/five fields/);
  });
});

describe('the README', () => {
  it('shows a LIFEBOAT_CONFIG example that the bot accepts', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /```yaml\n(# LIFEBOAT_CONFIG[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const config = LifeboatConfig.parse(parse(example ?? ''));
    expect(config.drills.schedule[0]).toMatchObject({
      runbook: 'etcd-snapshot-restore',
      timezone: 'Europe/Berlin',
    });
    expect(config.backups.etcd[0]).toMatchObject({ name: 'prod', rpo: '1h' });
    expect(config.clusters.primary?.apiServers).toHaveLength(2);
    expect(config.prometheus.url).toBe('http://prometheus.monitoring:9090');
    expect(config.route53.region).toBe('us-east-1');
  });
});
