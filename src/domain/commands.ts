import type { ProbeReading } from './probe.js';
import type { ActionResult, Evidence, GateKind, IncidentMode, ScheduledRun } from './events.js';
import type { DecisionTree } from './tree.js';
import type { Runbook } from './runbook.js';

/** Who is acting, with the groups the adapter resolved for them (`responders`, `approvers`, @handles, their id). */
export type Actor = { readonly id: string; readonly memberOf: readonly string[] };

export type LoadedRunbookRef = { readonly runbook: Runbook; readonly hash: string };

export type Command =
  | {
      type: 'Declare';
      mode: IncidentMode;
      summary: string;
      channel: string;
      tree?: DecisionTree;
      runbook?: LoadedRunbookRef;
      schedule?: ScheduledRun;
    }
  | { type: 'Answer'; node: string; option: number; runbook?: LoadedRunbookRef }
  | { type: 'Back' }
  | { type: 'RecordProbe'; node: string; evidence: Evidence; reading: ProbeReading }
  | { type: 'ConfirmManual'; step: string; attempt: number; note: string }
  | { type: 'SetParams'; params: Readonly<Record<string, unknown>> }
  | { type: 'RecordPrerequisites'; checks: readonly (Evidence & { id: string })[]; restorePoint?: number }
  | { type: 'Request'; step: string; gate: GateKind }
  | { type: 'Approve'; step: string; gate: GateKind; binding: string }
  | { type: 'Deny'; step: string; gate: GateKind; reason: string }
  | {
      type: 'RecordStepResult';
      step: string;
      attempt: number;
      passed: boolean;
      result: ActionResult;
      error?: string;
      durationMs: number;
      evidence: readonly Evidence[];
    }
  | { type: 'RecordRollback'; step: string; passed: boolean; result: ActionResult; error?: string }
  | { type: 'MarkInterrupted'; step: string; attempt: number; reason: string }
  | { type: 'AddNote'; text: string }
  | { type: 'Resolve' }
  | { type: 'Abort'; reason: string };

export type CommandType = Command['type'];

/** A command as it reaches the domain: who, what, and when (time comes in; the domain never reads a clock). */
export type Envelope = {
  readonly incidentId: string;
  readonly actor: Actor;
  readonly now: number;
  readonly command: Command;
};

export const REJECTION_CODES = [
  'unknown-incident',
  'already-declared',
  'incident-closed',
  'not-a-responder',
  'not-an-approver',
  'self-approval',
  'already-approved',
  'approval-expired',
  'binding-changed',
  'not-waiting',
  'out-of-order',
  'invalid-input',
  'invalid-params',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** Why a command changed nothing, in words for the person who sent it. */
export type Rejection = { readonly code: RejectionCode; readonly message: string };
