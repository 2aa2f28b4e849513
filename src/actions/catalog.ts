/**
 * Every action a runbook may name, with its inputs and result fields, derived from the actions'
 * contracts. Lint checks runbooks against it (even for actions whose implementation lands later)
 * and the binder documents it.
 */

import type { z } from 'zod';
import type { ActionContract } from './contract.js';
import { CONTRACTS } from './contracts.js';
import { kindOf, MANUAL, MANUAL_RESULT, ManualWork, type ActionCall } from '../domain/runbook.js';

export type InputSpec = { readonly required?: boolean; readonly doc: string };
export type ActionSpec = {
  readonly summary: string;
  /** Read-only actions may run as probes and prerequisite checks without a person pressing anything. */
  readonly readOnly: boolean;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly result: Readonly<Record<string, string>>;
};

/** A field's `.describe()` text, looked for through optional, default and pipe wrappers. */
function docOf(field: z.ZodType): string {
  let schema: z.ZodType | undefined = field;
  for (let depth = 0; schema && depth < 8; depth += 1) {
    if (schema.description) return schema.description;
    const def = schema._zod.def as { innerType?: z.ZodType; in?: z.ZodType };
    schema = def.innerType ?? def.in;
  }
  return '';
}

/** Each field of an input schema: whether it is required and its doc, read from the zod schema. */
export function inputSpecs(input: z.ZodObject): Readonly<Record<string, InputSpec>> {
  return Object.fromEntries(
    Object.entries(input.shape as Record<string, z.ZodType>).map(([key, field]) => [
      key,
      { required: !field.safeParse(undefined).success, doc: docOf(field) },
    ]),
  );
}

/** The catalog entry of a contract. */
export function specOf(contract: ActionContract): ActionSpec {
  const inputs = inputSpecs(contract.input);
  return { summary: contract.summary, readOnly: contract.readOnly, inputs, result: contract.result };
}

const SPECS: ReadonlyMap<string, ActionSpec> = new Map(
  CONTRACTS.map((contract) => [contract.name, specOf(contract)] as const),
);

export function actionSpec(name: string): ActionSpec | undefined {
  return SPECS.get(name);
}

export const ACTION_NAMES: readonly string[] = [...SPECS.keys()];

/** Not an action but work a person does (`action: manual`): lint checks its `with` and result fields here. */
export const MANUAL_SPEC: ActionSpec = {
  summary: 'A person does this and confirms it, item by item',
  readOnly: false,
  inputs: inputSpecs(ManualWork),
  result: MANUAL_RESULT,
};

/** What a call may be given and gives back: its action's catalog entry, or a manual step's. */
export function specFor(call: Pick<ActionCall, 'action' | 'with'>): ActionSpec | undefined {
  return kindOf(call).kind === 'manual' ? MANUAL_SPEC : actionSpec(call.action);
}

/** Every name `action:` accepts, for lint's suggestions. */
export const CALL_NAMES: readonly string[] = [...ACTION_NAMES, MANUAL];
