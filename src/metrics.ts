import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per process; names say what an SRE would graph. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lifeboat_process_' });
  return {
    registry,
    openIncidents: new Gauge({
      name: 'lifeboat_open_incidents',
      help: 'Incidents and drills not yet resolved or aborted',
      registers: [registry],
    }),
    commands: new Counter({
      name: 'lifeboat_commands_total',
      help: 'Commands handled, by type and outcome',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    steps: new Counter({
      name: 'lifeboat_steps_total',
      help: 'Steps finished, by action and outcome',
      labelNames: ['action', 'outcome'],
      registers: [registry],
    }),
    ackSeconds: new Histogram({
      name: 'lifeboat_slack_ack_seconds',
      help: 'Time from a Slack request arriving to its ack',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
      registers: [registry],
    }),
    slackErrors: new Counter({
      name: 'lifeboat_slack_api_errors_total',
      help: 'Slack Web API calls that failed, by method',
      labelNames: ['method'],
      registers: [registry],
    }),
    feedLag: new Gauge({
      name: 'lifeboat_outbox_depth',
      help: 'Timeline entries appended but not yet posted to Slack',
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
