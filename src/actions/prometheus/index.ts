import type { ActionDefinition } from '../registry.js';
import { egressFence } from '../egress.js';
import { prometheusQuery } from './query.js';

/** The Prometheus actions; `url` is the config's prometheus.url, `allow` its egress.allow. */
export function prometheusActions(
  url: string | undefined,
  allow: readonly string[] = [],
): Record<string, ActionDefinition> {
  return { 'prometheus.query': prometheusQuery({ egress: egressFence(allow), ...(url ? { url } : {}) }) };
}
