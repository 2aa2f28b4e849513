import type { Route53Settings } from '../../domain/config.js';
import { byName, type ImplementedAction } from '../registry.js';
import { route53Client, type Route53Credentials } from './client.js';
import { route53Record } from './record.js';
import { route53SetWeight } from './set-weight.js';

export type Route53Options = {
  /** Instead of the SDK's credential chain; tests use it. */
  readonly credentials?: Route53Credentials;
  /** How often to ask GetChange; tests shorten it. */
  readonly pollMs?: number;
};

/** The Route 53 actions, sharing one client. */
export function route53Actions(
  settings: Route53Settings,
  options: Route53Options = {},
): Record<string, ImplementedAction> {
  const deps = {
    client: route53Client(settings, options.credentials),
    settings,
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
  };
  return byName([route53Record(deps), route53SetWeight(deps)]);
}
