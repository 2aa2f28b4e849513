import { z } from 'zod';
import type { DrillRecord } from '../domain/readiness.js';
import { defineAction, type ActionDefinition } from './registry.js';

/** `drill.last-result`: the runbook's most recent drill, from Lifeboat's own records. */
export function drillActions(
  records: () => Promise<DrillRecord[]>,
  clock: () => number = Date.now,
): Record<string, ActionDefinition> {
  return {
    'drill.last-result': defineAction({
      input: z.strictObject({ runbook: z.string().min(1) }),
      async run({ runbook }) {
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
      },
    }),
  };
}
