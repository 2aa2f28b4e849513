import { z } from 'zod';
import { Expect } from './expect.js';
import { ActionCall, API_VERSION, Id } from './runbook.js';

export const OPTION_LABEL_MAX = 75;

export const TreeOption = z
  .strictObject({
    label: z
      .string()
      .min(1)
      .max(OPTION_LABEL_MAX, { message: `labels are button texts: at most ${OPTION_LABEL_MAX} characters` }),
    next: Id.optional(),
    runbook: Id.optional(),
    suggestWhen: z.enum(['probe.failed', 'probe.passed']).optional(),
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
