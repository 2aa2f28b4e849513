import type { z } from 'zod';
import type { ActionContext, ActionOutcome } from '../engine/action-port.js';

/**
 * An action's contract, written once: its name, what it does, whether it only reads, how long it
 * may take unless the step says otherwise, its inputs (a zod object whose fields carry their docs
 * in `.describe()`) and its result fields. The catalog, lint, the JSON schema and the binder are
 * derived from it; the implementation is bound to it with `implement`.
 */
export type ActionContract<Input extends z.ZodObject = z.ZodObject> = {
  readonly name: string;
  readonly summary: string;
  /** Read-only actions may run as probes and prerequisite checks without a person pressing anything. */
  readonly readOnly: boolean;
  /** The timeout when the step names none, e.g. `10m` (default: the engine's, 15m). */
  readonly timeout?: string;
  readonly input: Input;
  readonly result: Readonly<Record<string, string>>;
};

export const actionContract = <const Input extends z.ZodObject>(
  contract: ActionContract<Input>,
): ActionContract<Input> => contract;

/** One action's implementation, bound to its contract; the registry keys it by the contract's name. */
export type ImplementedAction = {
  readonly contract: ActionContract;
  /** Runs on input the registry has already validated with the contract's schema. */
  run(input: never, context: ActionContext): Promise<ActionOutcome>;
};

export function implement<Input extends z.ZodObject>(
  contract: ActionContract<Input>,
  run: (input: z.output<Input>, context: ActionContext) => Promise<ActionOutcome>,
): ImplementedAction {
  return { contract, run };
}
