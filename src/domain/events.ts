import type { DecisionTree } from './tree.js';
import type { Runbook } from './runbook.js';
import type { ProbeReading } from './probe.js';
import type { StepRestorePoint } from './restore-point.js';

/** Incident events: the append-only record that is at once state, audit log and timeline. */

export const INCIDENT_MODES = ['incident', 'drill'] as const;
export type IncidentMode = (typeof INCIDENT_MODES)[number];

/** What a gate holds back: running a step, skipping it, rolling it back, or starting despite failed checks. */
export const GATE_KINDS = ['run', 'skip', 'rollback', 'override'] as const;
export type GateKind = (typeof GATE_KINDS)[number];

export type ActionResult = Readonly<Record<string, unknown>>;
export type Evidence = {
  readonly title: string;
  readonly passed: boolean;
  readonly result: ActionResult;
  readonly failures: readonly string[];
};

/** A drill started by the schedule: when it was due, whether it started late, and what it may do on its own. */
export type ScheduledRun = {
  readonly due: number;
  readonly late: boolean;
  readonly preApproved: boolean;
  readonly params: Readonly<Record<string, string>>;
};

type At = { readonly at: number };
type By = { readonly by: string };

export type IncidentEvent =
  | ({
      type: 'IncidentDeclared';
      mode: IncidentMode;
      summary: string;
      channel: string;
      tree?: DecisionTree;
      schedule?: ScheduledRun;
    } & At &
      By)
  | ({ type: 'DecisionAnswered'; node: string; option: number; label: string } & At & By)
  | ({ type: 'DecisionReverted'; node: string } & At & By)
  | ({ type: 'RunbookSelected'; runbook: Runbook; hash: string } & At & By)
  // `reading` is absent on probes recorded before verdicts existed (legacyReading reads those).
  | ({ type: 'ProbeRecorded'; node: string; evidence: Evidence; reading?: ProbeReading } & At & By)
  | ({ type: 'ParamsSet'; params: Readonly<Record<string, string | number>> } & At & By)
  | ({
      type: 'PrerequisitesChecked';
      passed: boolean;
      checks: readonly (Evidence & { id: string })[];
      restorePoint?: number;
    } & At &
      By)
  | ({ type: 'StepRequested'; step: string; gate: GateKind; binding: string } & At & By)
  | ({ type: 'ApprovalGranted'; step: string; gate: GateKind; binding: string } & At & By)
  | ({ type: 'ApprovalDenied'; step: string; gate: GateKind; reason: string } & At & By)
  | ({ type: 'ApprovalsVoided'; step: string; reason: string } & At & By)
  | ({ type: 'StepStarted'; step: string; attempt: number } & At & By)
  | ({
      type: 'StepFinished';
      step: string;
      attempt: number;
      passed: boolean;
      result: ActionResult;
      error?: string;
      durationMs: number;
      /** Set by a step marked restorePoint: it replaces the incident's restore point. */
      restorePoint?: StepRestorePoint;
    } & At &
      By)
  | ({ type: 'ManualConfirmed'; step: string; attempt: number; note: string } & At & By)
  | ({ type: 'VerificationRecorded'; step: string; attempt: number; evidence: Evidence } & At & By)
  | ({ type: 'StepInterrupted'; step: string; attempt: number; reason: string } & At & By)
  | ({ type: 'StepSkipped'; step: string } & At & By)
  | ({ type: 'RollbackStarted'; step: string } & At & By)
  | ({ type: 'RollbackFinished'; step: string; passed: boolean; result: ActionResult; error?: string } & At &
      By)
  | ({ type: 'ServiceRestored'; step: string; rtoSeconds: number; rpoSeconds?: number } & At & By)
  | ({ type: 'NoteAdded'; text: string } & At & By)
  | ({ type: 'AccessRefused'; action: string; reason: string } & At & By)
  | ({ type: 'IncidentResolved' } & At & By)
  | ({ type: 'IncidentAborted'; reason: string } & At & By);

export type IncidentEventType = IncidentEvent['type'];
export type EventOf<T extends IncidentEventType> = Extract<IncidentEvent, { type: T }>;

/** The actor `lifeboat` itself, for events no person caused (results, sweeps). */
export const LIFEBOAT = 'lifeboat';
