import { egressFence } from './egress.js';
import { httpProbe } from './http-probe.js';
import { httpRequest } from './http-request.js';
import type { ActionDefinition } from './registry.js';

/** Actions that request URLs; `allow` is the config's egress.allow (fenced addresses they may reach). */
export function httpActions(allow: readonly string[] = []): Record<string, ActionDefinition> {
  const egress = egressFence(allow);
  return { 'http.probe': httpProbe(egress), 'http.request': httpRequest(egress) };
}
