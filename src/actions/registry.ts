import type { z } from 'zod';
import type { ActionResult } from '../domain/events.js';
import type { ActionContext, ActionOutcome, ActionRegistry } from '../engine/action-port.js';
import { actionSpec } from './catalog.js';
import type { ActionContract } from './contract.js';

/** One action's implementation: its input schema and what it does. */
export type ActionDefinition<Schema extends z.ZodType = z.ZodType> = {
  /** Set for actions written as a contract (contract.ts); the registry checks it names the same action. */
  readonly contract?: ActionContract;
  readonly input: Schema;
  run(input: z.infer<Schema>, context: ActionContext): Promise<ActionOutcome>;
};

export function defineAction<Schema extends z.ZodType>(
  definition: ActionDefinition<Schema>,
): ActionDefinition {
  return definition;
}

/** Validates inputs before anything runs, and says plainly when an action is known but not built yet. */
export function createRegistry(actions: Readonly<Record<string, ActionDefinition>>): ActionRegistry {
  for (const [name, definition] of Object.entries(actions)) {
    if (definition.contract && definition.contract.name !== name)
      throw new Error(
        `action ${name} is registered under another name than its contract's (${definition.contract.name})`,
      );
  }
  return {
    async run(action, input, context) {
      const definition = Object.hasOwn(actions, action) ? actions[action] : undefined;
      if (!definition) {
        const known = actionSpec(action) ? 'is not available in this Lifeboat build yet' : 'does not exist';
        return { completed: false, result: {}, error: `action ${action} ${known}` };
      }
      const parsed = definition.input.safeParse(input);
      if (!parsed.success) {
        const problems = parsed.error.issues
          .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
          .join('; ');
        return { completed: false, result: {}, error: `${action}: invalid input (${problems})` };
      }
      return definition.run(parsed.data, context);
    },
  };
}

export type { ActionResult };
