import type { ActionResult } from './events.js';
import { validateParams } from './params.js';
import type { ParamSpec } from './runbook.js';

/** One value a person may pick for a param, as an action listed it. */
export type Choice = { readonly value: string; readonly label: string; readonly description?: string };

/** What listing a param's choices gave: the choices, or why there are none to offer. */
export type ChoiceList =
  | { readonly status: 'listing' }
  | { readonly status: 'listed'; readonly choices: readonly Choice[]; readonly total: number }
  | { readonly status: 'failed'; readonly error: string };

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * The `choices` of an action's result, in the action's order, keeping only values the param itself
 * accepts (a select must never offer what submitting would refuse) and each value once.
 */
export function choicesFor(name: string, spec: ParamSpec, result: ActionResult): ChoiceList {
  const listed = result.choices;
  if (!Array.isArray(listed)) return { status: 'failed', error: 'the action listed no choices' };
  const seen = new Set<string>();
  const choices: Choice[] = [];
  for (const item of listed as unknown[]) {
    const entry = (item !== null && typeof item === 'object' ? item : { value: item }) as Record<
      string,
      unknown
    >;
    const value = text(entry.value);
    if (value === undefined || seen.has(value)) continue;
    if ('errors' in validateParams({ [name]: spec }, { [name]: value })) continue;
    seen.add(value);
    const description = text(entry.description);
    choices.push({ value, label: text(entry.label) ?? value, ...(description ? { description } : {}) });
  }
  return {
    status: 'listed',
    choices,
    total: typeof result.count === 'number' ? result.count : listed.length,
  };
}
