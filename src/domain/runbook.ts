import { z } from 'zod';
import { Duration } from './duration.js';
import { Expect } from './expect.js';
import { patternError } from './pattern.js';
import { STEP_RESTORE_POINTS } from './restore-point.js';

export const API_VERSION = 'lifeboat/v1';

/** Ids are what templates and buttons refer to: lower-case words joined by hyphens. */
export const Id = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
  message: 'ids are lower-case letters, digits and "-", e.g. fresh-backup',
});

/** A pattern that runs in linear time (RE2): the message says why one is refused. */
const Regex = z.string().superRefine((source, ctx) => {
  const error = patternError(source);
  if (error) ctx.addIssue({ code: 'custom', message: `not a usable regular expression: ${error}` });
});

/** An action and its inputs; `with` values may hold templates. */
export const ActionCall = z.strictObject({
  action: z.string().min(1),
  with: z.record(z.string(), z.unknown()).optional(),
  timeout: Duration.optional(),
});
export type ActionCall = z.infer<typeof ActionCall>;

/** `action: manual` (RUNBOOK-SPEC.md) marks work a person does and confirms: no action is run. */
export const MANUAL = 'manual';

/** What a manual step's `with` holds; lint checks it and the card shows it. */
export const ManualWork = z.strictObject({
  instructions: z.string().min(1).describe('what to do, in words'),
  checklist: z.array(z.string()).optional().describe('items the person ticks off'),
});

/** What a manual step's result holds once a person pressed Done. */
export const MANUAL_RESULT = { confirmedBy: 'who confirmed', note: 'what they wrote' } as const;

/** A call is either an action Lifeboat runs or work a person does: the one place the two are told apart. */
export type CallKind =
  | { readonly kind: 'action'; readonly action: string }
  | { readonly kind: 'manual'; readonly instructions: string; readonly checklist: readonly string[] };

export function kindOf(call: Pick<ActionCall, 'action' | 'with'>): CallKind {
  if (call.action !== MANUAL) return { kind: 'action', action: call.action };
  const work = call.with ?? {};
  const checklist = Array.isArray(work.checklist) ? work.checklist.map(String) : [];
  const instructions = typeof work.instructions === 'string' ? work.instructions : '';
  return { kind: 'manual', instructions, checklist };
}

/** Whether a person does this call's work (a manual step or rollback), rather than an action. */
export const isManual = (call: Pick<ActionCall, 'action'>): boolean => call.action === MANUAL;

/** A manual call's instructions and checklist; undefined for an action. */
export function manualWork(call: Pick<ActionCall, 'action' | 'with'>) {
  const kind = kindOf(call);
  return kind.kind === 'manual' ? kind : undefined;
}

const paramBase = {
  prompt: z.string().min(1).max(150),
  /** Never shown after it is typed; kept sealed in the stream (LIFEBOAT_SECRET_KEY) and redacted from every output. */
  secret: z.boolean().optional(),
  optional: z.boolean().optional(),
  help: z.string().max(150).optional(),
};

/** A read-only action whose result lists the values to offer (e.g. Velero backups, newest first). */
export const ChoicesFrom = ActionCall;

export const ParamSpec = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('string'),
    pattern: Regex,
    default: z.string().optional(),
    choicesFrom: ChoicesFrom.optional(),
    ...paramBase,
  }),
  z.strictObject({
    type: z.literal('k8sName'),
    default: z.string().optional(),
    choicesFrom: ChoicesFrom.optional(),
    ...paramBase,
  }),
  z.strictObject({
    type: z.literal('enum'),
    values: z.array(z.string().min(1)).min(1),
    default: z.string().optional(),
    ...paramBase,
  }),
  z.strictObject({
    type: z.literal('int'),
    min: z.number().int().optional(),
    max: z.number().int().optional(),
    default: z.number().int().optional(),
    ...paramBase,
  }),
  z.strictObject({ type: z.literal('duration'), default: Duration.optional(), ...paramBase }),
  z.strictObject({ type: z.literal('url'), default: z.url().optional(), ...paramBase }),
]);
export type ParamSpec = z.infer<typeof ParamSpec>;

/** A shell command in a check or verification runs with nobody pressing a button: the author vouches it only reads. */
const ReadOnly = { readOnly: z.boolean().optional() };

export const Check = z.strictObject({
  id: Id,
  title: z.string().min(1).max(150),
  ...ActionCall.shape,
  ...ReadOnly,
  expect: Expect.optional(),
  restorePoint: z.boolean().optional(),
});
export type Check = z.infer<typeof Check>;

export const Verification = z.strictObject({
  title: z.string().min(1).max(150),
  ...ActionCall.shape,
  ...ReadOnly,
  expect: Expect.optional(),
});
export type Verification = z.infer<typeof Verification>;

/** Who may approve: `approvers`, `responders`, a Slack user id or an @user-group handle. */
export const ApproverRef = z
  .string()
  .regex(/^(approvers|responders|[UW][A-Z0-9]{2,}|@[a-z0-9][a-z0-9._-]*)$/, {
    message: 'write approvers, responders, a Slack user id (U0123ABC) or a user-group handle (@sre-leads)',
  });

export const ApprovalRule = z.strictObject({
  count: z.number().int().min(0).max(5).default(1),
  from: z.array(ApproverRef).min(1).default(['approvers']),
  allowRequester: z.boolean().default(false),
  expiresIn: Duration.default('15m'),
});
export type ApprovalRule = z.infer<typeof ApprovalRule>;
export const DEFAULT_APPROVAL: ApprovalRule = ApprovalRule.parse({});

export const Rollback = z.strictObject({
  title: z.string().min(1).max(150).optional(),
  ...ActionCall.shape,
  /** A rollback that can hurt (scaling to 0, a restore) needs the destructive approval rule even when its step does not. */
  destructive: z.boolean().optional(),
  ...ReadOnly,
  expect: Expect.optional(),
});

export const Step = z.strictObject({
  id: Id,
  title: z.string().min(1).max(150),
  description: z.string().max(2000).optional(),
  ...ActionCall.shape,
  expect: Expect.optional(),
  destructive: z.boolean().optional(),
  ...ReadOnly,
  approval: ApprovalRule.optional(),
  idempotent: z.boolean().optional(),
  verify: z.array(Verification).optional(),
  rollback: Rollback.optional(),
  restoresService: z.boolean().optional(),
  restorePoint: z
    .enum(STEP_RESTORE_POINTS)
    .optional()
    .describe(
      "The incident's restore point from this step's result, over any check's: time (the result's time) or lag (its value, seconds behind when the step ran)",
    ),
});
export type Step = z.infer<typeof Step>;

export const COMMUNICATION_TRIGGERS = [
  'declared',
  'runbook-selected',
  'step-failed',
  'restored',
  'resolved',
] as const;

export const Communication = z.strictObject({
  on: z.enum(COMMUNICATION_TRIGGERS),
  channel: z
    .string()
    .regex(/^(#[a-z0-9._-]+|[CG][A-Z0-9]{2,})$/, { message: 'write a channel as #name or a channel id' }),
  message: z.string().min(1).max(3000),
});

export const Dependency = z.strictObject({
  name: z.string().min(1).max(75),
  probe: ActionCall.extend({ expect: Expect.optional(), ...ReadOnly }).strict(),
});

export const Runbook = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('Runbook'),
  id: Id,
  title: z.string().min(1).max(150),
  scenario: z.string().min(1).max(150),
  description: z.string().max(3000).optional(),
  targets: z.strictObject({ rto: Duration, rpo: Duration }),
  owner: z.string().max(75).optional(),
  params: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: 'param names are letters, digits and _' }),
      ParamSpec,
    )
    .optional(),
  prerequisites: z
    .strictObject({
      tools: z.array(z.string().regex(/^[A-Za-z0-9._-]+$/)).optional(),
      checks: z.array(Check).optional(),
    })
    .optional(),
  steps: z.array(Step).min(1),
  communication: z.array(Communication).optional(),
  dependsOn: z.array(Dependency).optional(),
});
export type Runbook = z.infer<typeof Runbook>;

/** A destructive step always has an approval rule; the defaults fill what the runbook leaves out. */
export function approvalFor(step: Step): ApprovalRule | undefined {
  if (!step.destructive) return step.approval;
  return destructiveRule(step.approval);
}

/**
 * The two-person rule, whatever the runbook says: at least one approval, and the requester alone
 * never suffices (lint reports the runbooks that ask for less; this holds if lint was skipped).
 */
export function destructiveRule(rule: ApprovalRule = DEFAULT_APPROVAL): ApprovalRule {
  const count = Math.max(1, rule.count);
  return { ...rule, count, allowRequester: rule.allowRequester && count >= 2 };
}
