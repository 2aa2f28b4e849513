import type { ActionOutcome, ActionRegistry } from '../engine/action-port.js';
import type { ImplementedAction } from './contract.js';
import { CONTRACTS } from './contracts.js';

export type { ImplementedAction };

/** Implementations keyed by their contract's name, so namespaces can be spread into one registry. */
export function byName(actions: readonly ImplementedAction[]): Record<string, ImplementedAction> {
  const named: Record<string, ImplementedAction> = {};
  for (const action of actions) {
    if (Object.hasOwn(named, action.contract.name))
      throw new Error(`action ${action.contract.name} is implemented twice`);
    named[action.contract.name] = action;
  }
  return named;
}

export type RegistryOptions = {
  /** Fail a call whose result has a field its contract does not list (on under tests, so the binder never lies). */
  readonly strictResults?: boolean;
};

function undeclared(action: ImplementedAction, outcome: ActionOutcome): ActionOutcome {
  const extra = Object.keys(outcome.result).filter((field) => !Object.hasOwn(action.contract.result, field));
  if (extra.length === 0) return outcome;
  return {
    completed: false,
    result: outcome.result,
    error: `${action.contract.name} returned result fields its contract does not list: ${extra.join(', ')}`,
  };
}

/**
 * Validates inputs with each contract before anything runs, and says plainly when an action is known
 * but not built yet. The record form's keys are not read: every action goes by its contract's name.
 */
export function createRegistry(
  actions: readonly ImplementedAction[] | Readonly<Record<string, ImplementedAction>>,
  // Jest sets NODE_ENV=test: every suite that runs an action checks its result against its contract.
  options: RegistryOptions = { strictResults: process.env.NODE_ENV === 'test' },
): ActionRegistry & { readonly names: readonly string[] } {
  const named = byName(Array.isArray(actions) ? actions : Object.values(actions));
  const find = (action: string) => (Object.hasOwn(named, action) ? named[action] : undefined);
  return {
    names: Object.keys(named),
    terms(action) {
      const contract = find(action)?.contract;
      if (!contract) return undefined;
      return { readOnly: contract.readOnly, ...(contract.timeout ? { timeout: contract.timeout } : {}) };
    },
    async run(action, input, context) {
      const definition = find(action);
      if (!definition) {
        const known = CONTRACTS.some((c) => c.name === action)
          ? 'is not available in this Lifeboat build yet'
          : 'does not exist';
        return { completed: false, result: {}, error: `action ${action} ${known}` };
      }
      const parsed = definition.contract.input.safeParse(input);
      if (!parsed.success) {
        const problems = parsed.error.issues
          .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
          .join('; ');
        return { completed: false, result: {}, error: `${action}: invalid input (${problems})` };
      }
      const outcome = await definition.run(parsed.data as never, context);
      return options.strictResults ? undeclared(definition, outcome) : outcome;
    },
  };
}
