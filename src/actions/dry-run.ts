import type { ActionRegistry } from '../engine/action-port.js';
import { actionSpec } from './catalog.js';
import { CONTRACTS } from './contracts.js';

/**
 * Runs nothing: every call answers with what it would have run, and each documented result field
 * as a ‹placeholder›, so later templates that name it still fill. The demo uses it without etcd.
 */
export const dryRun: ActionRegistry = {
  terms(action) {
    const contract = CONTRACTS.find((c) => c.name === action);
    if (!contract) return undefined;
    return { readOnly: contract.readOnly, ...(contract.timeout ? { timeout: contract.timeout } : {}) };
  },
  run: (action, input) =>
    Promise.resolve({
      completed: true,
      dryRun: true,
      result: {
        ...Object.fromEntries(
          Object.keys(actionSpec(action)?.result ?? {}).map((field) => [field, `‹${field}›`]),
        ),
        dryRun: true,
        wouldRun: `${action} ${JSON.stringify(input)}`.slice(0, 500),
      },
    }),
};
