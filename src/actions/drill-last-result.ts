import { z } from 'zod';
import type { DrillRecord } from '../domain/readiness.js';
import { actionContract, implement } from './contract.js';
import { byName, type ImplementedAction } from './registry.js';

export const drillLastResultContract = actionContract({
  name: 'drill.last-result',
  summary: "A runbook's most recent drill and whether it passed",
  readOnly: true,
  timeout: '1m',
  input: z.strictObject({ runbook: z.string().min(1).describe('runbook id') }),
  result: {
    passed: 'true when the last drill passed',
    ageSeconds: 'seconds since it ended',
    rtoSeconds: 'measured RTO',
    incident: 'the drill incident id',
  },
});

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
