import { z } from 'zod';
import { Expect } from './expect.js';
import type { ProbeReading, ProbeVerdict } from './probe.js';
import { ActionCall, API_VERSION, Id } from './runbook.js';

export const OPTION_LABEL_MAX = 75;

/**
 * When an option is marked "suggested": on one definite probe verdict. `probe.passed` and
 * `probe.failed` are the first names of `probe.healthy` and `probe.unhealthy`. There is no
 * `probe.unknown`: a probe that could not ask suggests nothing, least of all a restore.
 */
export const SUGGEST_WHEN = {
  'probe.healthy': 'healthy',
  'probe.degraded': 'degraded',
  'probe.unhealthy': 'unhealthy',
  'probe.passed': 'healthy',
  'probe.failed': 'unhealthy',
} as const satisfies Record<string, Exclude<ProbeVerdict, 'unknown'>>;
export type SuggestWhen = keyof typeof SUGGEST_WHEN;
const SUGGEST_WHEN_NAMES = Object.keys(SUGGEST_WHEN) as [SuggestWhen, ...SuggestWhen[]];

export const TreeOption = z
  .strictObject({
    label: z
      .string()
      .min(1)
      .max(OPTION_LABEL_MAX, { message: `labels are button texts: at most ${OPTION_LABEL_MAX} characters` }),
    next: Id.optional(),
    runbook: Id.optional(),
    suggestWhen: z.enum(SUGGEST_WHEN_NAMES).optional(),
  })
  .refine((option) => (option.next === undefined) !== (option.runbook === undefined), {
    message: 'an option leads to exactly one of next (a node) or runbook (a runbook id)',
  });
export type TreeOption = z.infer<typeof TreeOption>;

export const TreeNode = z.strictObject({
  question: z.string().min(1).max(150),
  help: z.string().max(300).optional(),
  probe: ActionCall.extend({ expect: Expect.optional() }).strict().optional(),
  options: z
    .array(TreeOption)
    .min(2, { message: 'a question needs 2 to 25 options' })
    .max(25, { message: 'a question needs 2 to 25 options' }),
});
export type TreeNode = z.infer<typeof TreeNode>;

export const DecisionTree = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('DecisionTree'),
  id: Id,
  default: z.boolean().optional(),
  title: z.string().min(1).max(150),
  start: Id,
  nodes: z.record(Id, TreeNode),
});
export type DecisionTree = z.infer<typeof DecisionTree>;

/** The option the probe's reading suggests, by index: the first whose suggestWhen names that verdict; none on unknown. */
export function suggestedOption(node: TreeNode, reading: ProbeReading | undefined): number | undefined {
  if (!reading || reading.verdict === 'unknown') return undefined;
  const index = node.options.findIndex(
    (option) => option.suggestWhen !== undefined && SUGGEST_WHEN[option.suggestWhen] === reading.verdict,
  );
  return index < 0 ? undefined : index;
}
