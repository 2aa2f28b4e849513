import { performance } from 'node:perf_hooks';
import type { ActionResult } from '../domain/events.js';
import { checkExpect, type Expect } from '../domain/expect.js';
import { renderDeep, type TemplateScope } from '../domain/template.js';
import { durationSeconds } from '../domain/duration.js';
import { kindOf } from '../domain/runbook.js';
import { errorMessage } from '../errors.js';
import type { ActionContext, ActionRegistry } from './action-port.js';

export type CallSpec = {
  readonly action: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly expect?: Expect;
  readonly timeout?: string;
};
export type CallOutcome = {
  /** The action ran to an answer (false: it could not run, or its inputs could not be filled). */
  readonly completed: boolean;
  readonly passed: boolean;
  readonly result: ActionResult;
  readonly error?: string;
  readonly failures: readonly string[];
  readonly durationMs: number;
};

export const DEFAULT_TIMEOUT = '15m';

/** Fills the templates, runs the action, and judges the result against `expect`. Never throws. */
export async function runCall(
  registry: ActionRegistry,
  call: CallSpec,
  scope: TemplateScope,
  context: Omit<ActionContext, 'timeoutMs'>,
): Promise<CallOutcome> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const kind = kindOf(call);
  // Lifeboat never runs a person's work: a manual step waits for Done, a manual rollback is done by hand.
  if (kind.kind === 'manual')
    return {
      completed: false,
      passed: false,
      result: {},
      error: `this is manual work, done by a person, not by Lifeboat: ${kind.instructions || 'see the runbook'}; do it by hand and say so in the thread`,
      failures: [],
      durationMs: elapsed(),
    };
  const terms = registry.terms(call.action);
  let input: Record<string, unknown>;
  let expect: Expect | undefined;
  try {
    input = renderDeep(call.with ?? {}, scope) as Record<string, unknown>;
    expect = call.expect ? (renderDeep(call.expect, scope) as Expect) : undefined;
  } catch (error) {
    return {
      completed: false,
      passed: false,
      result: {},
      error: `cannot fill the inputs: ${errorMessage(error)}`,
      failures: [],
      durationMs: elapsed(),
    };
  }
  let outcome;
  try {
    outcome = await registry.run(call.action, input, {
      ...context,
      written: call.with ?? {},
      timeoutMs: durationSeconds(call.timeout ?? terms?.timeout ?? DEFAULT_TIMEOUT) * 1000,
    });
  } catch (error) {
    outcome = { completed: false, result: {}, error: `${call.action} crashed: ${errorMessage(error)}` };
  }
  if (outcome.dryRun)
    return { completed: true, passed: true, result: outcome.result, failures: [], durationMs: elapsed() };
  const failures =
    outcome.completed && expect
      ? checkExpect(expect, outcome.result).map(
          (f) => `${f.field} should be ${f.wanted}, got ${JSON.stringify(f.got)}`,
        )
      : [];
  const passed = outcome.completed && (expect ? failures.length === 0 : outcome.error === undefined);
  return {
    completed: outcome.completed,
    passed,
    result: outcome.result,
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    failures,
    durationMs: elapsed(),
  };
}
