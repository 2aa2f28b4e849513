import type { WebClient } from '@slack/web-api';
import type { Metrics } from '../metrics.js';
import { meteredClient } from './metered-client.js';
import { keepAliveFetch } from './web-fetch.js';

/** The bot's one Slack Web API client: retried with backoff, each attempt bounded, every failure and retry counted. */
export function botSlackClient(
  token: string,
  options: { readonly apiUrl?: string | undefined; readonly metrics: Metrics },
): WebClient {
  const { apiUrl, metrics } = options;
  return meteredClient(
    token,
    {
      ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
      retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 5000 },
      // A connection that never answers would hold the timeline (and a start) forever; an attempt gets 30 s.
      fetch: keepAliveFetch({ attemptMs: 30_000 }),
    },
    {
      failed: (method, error) => metrics.slackErrors.inc({ method, error }),
      retried: (method) => metrics.slackRetries.inc({ method }),
    },
  );
}
