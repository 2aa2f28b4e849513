import type { DrillRecord } from '../domain/readiness.js';
import { implement } from './contract.js';
import { byName, type ImplementedAction } from './registry.js';
import { drillLastResultContract } from './drill-last-result-contract.js';

/** `drill.last-result`: the runbook's most recent drill, from Lifeboat's own records. */
export function drillActions(
  records: () => Promise<DrillRecord[]>,
  clock: () => number = Date.now,
): Record<string, ImplementedAction> {
  const lastResult = implement(drillLastResultContract, async ({ runbook }) => {
    const last = (await records())
      .filter((r) => r.runbook === runbook)
      .sort((a, b) => a.endedAt - b.endedAt)
      .at(-1);
    if (!last)
      return {
        completed: true,
        result: { passed: false },
        error: `${runbook} has never been drilled: run /dr drill ${runbook}`,
      };
    const result = {
      passed: last.passed,
      ageSeconds: Math.round((clock() - last.endedAt) / 1000),
      incident: last.incident,
      ...(last.rtoSeconds !== undefined ? { rtoSeconds: last.rtoSeconds } : {}),
    };
    return {
      completed: true,
      result,
      ...(last.passed ? {} : { error: `the last drill of ${runbook} (${last.incident}) failed` }),
    };
  });
  return byName([lastResult]);
}
