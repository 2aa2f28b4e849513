import { byName, type ImplementedAction } from '../registry.js';
import { egressFence } from '../egress.js';
import { prometheusQuery } from './query.js';

/** The Prometheus actions; `url` is the config's prometheus.url, `allow` its egress.allow. */
export function prometheusActions(
  url: string | undefined,
  allow: readonly string[] = [],
): Record<string, ImplementedAction> {
  return byName([prometheusQuery({ egress: egressFence(allow), ...(url ? { url } : {}) })]);
}
