import { httpProbe } from './http-probe.js';
import type { ActionDefinition } from './registry.js';

export function httpActions(): Record<string, ActionDefinition> {
  return { 'http.probe': httpProbe };
}
