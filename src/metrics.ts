import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per process; names say what an SRE would graph. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lifeboat_process_' });
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    openIncidents: gauge('lifeboat_open_incidents', 'Incidents and drills not yet resolved or aborted'),
    steps: new Counter({
      name: 'lifeboat_steps_total',
      help: 'Steps finished on this replica, by action and outcome',
      labelNames: ['action', 'outcome'],
      registers: [registry],
    }),
    backupAge: gauge('lifeboat_backup_age_seconds', 'Age of the newest good backup, by source', ['source']),
    backupOk: gauge(
      'lifeboat_backup_fresh',
      '1 when the source is within its RPO, 0 when stale, failing or unknown',
      ['source'],
    ),
    drillRto: gauge('lifeboat_drill_rto_seconds', 'Measured RTO of the last drill, by runbook', ['runbook']),
    drillPassed: gauge('lifeboat_drill_passed', '1 when the last drill of the runbook passed', ['runbook']),
    approvalWait: new Histogram({
      name: 'lifeboat_approval_wait_seconds',
      help: 'From a step asking for approval to each approval, by runbook',
      labelNames: ['runbook'],
      buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
      registers: [registry],
    }),
    slackErrors: new Counter({
      name: 'lifeboat_slack_api_errors_total',
      help: 'Slack Web API calls or attempts that failed, by method and error (http_500, ratelimited, channel_not_found, …)',
      labelNames: ['method', 'error'],
      registers: [registry],
    }),
    slackRetries: new Counter({
      name: 'lifeboat_slack_api_retries_total',
      help: 'Slack Web API attempts made again after a failed one, by method',
      labelNames: ['method'],
      registers: [registry],
    }),
    outboxDepth: gauge(
      'lifeboat_outbox_depth',
      'Feed entries the presenter has not yet posted to Slack (the timeline still to catch up)',
    ),
    lastSuccessfulDrill: gauge(
      'lifeboat_drill_last_success_timestamp_seconds',
      'When the runbook last passed a drill',
      ['runbook'],
    ),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
