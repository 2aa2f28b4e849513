import { egressFence } from './egress.js';
import { httpProbe } from './http-probe.js';
import { byName, type ImplementedAction } from './registry.js';

/** Actions that request URLs; `allow` is the config's egress.allow (fenced addresses they may reach). */
export function httpActions(allow: readonly string[] = []): Record<string, ImplementedAction> {
  return byName([httpProbe(egressFence(allow))]);
}
