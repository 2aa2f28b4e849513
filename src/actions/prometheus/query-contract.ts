import { z } from 'zod';
import { actionContract } from '../contract.js';

export const queryContract = actionContract({
  name: 'prometheus.query',
  summary:
    'An instant PromQL query against the Prometheus HTTP API (GET /api/v1/query); its value is judged with `expect`',
  readOnly: true,
  timeout: '1m',
  input: z.strictObject({
    query: z
      .string()
      .min(1)
      .max(4096)
      .describe('PromQL, e.g. max(replication_lag_seconds{region="us-east-1"})'),
    url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        'Prometheus base URL, e.g. http://prometheus.monitoring:9090 (default: prometheus.url in the config)',
      ),
  }),
  result: {
    value:
      'the sample value as a number; with several series, the largest (the worst lag, any prober that still sees it up)',
    series: 'how many series the query returned',
    labels: 'the labels of the series whose value was taken',
    evaluatedAt: 'when Prometheus evaluated it (RFC 3339); not a restore point',
    status: 'the HTTP status, when the answer was not a Prometheus API answer',
  },
});
