import type {
  ActionResult,
  Evidence,
  GateKind,
  IncidentEvent,
  IncidentMode,
  ScheduledRun,
} from './events.js';
import type { DecisionTree } from './tree.js';
import type { Runbook } from './runbook.js';
import { legacyReading, type ProbeReading } from './probe.js';
import type { StepRestorePoint } from './restore-point.js';

/** A probe's evidence and what it means: healthy, degraded, unhealthy or unknown (with why). */
export type ProbeFinding = Evidence & ProbeReading;

export const STEP_STATUSES = [
  'pending',
  'requested',
  'running',
  'passed',
  'failed',
  'interrupted',
  'skipped',
  'rolling-back',
  'rolled-back',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export type Approval = { readonly by: string; readonly at: number; readonly binding: string };
export type Gate = {
  readonly kind: GateKind;
  readonly requestedBy: string;
  readonly requestedAt: number;
  readonly binding: string;
  readonly approvals: readonly Approval[];
};

export type StepState = {
  readonly status: StepStatus;
  readonly attempt: number;
  readonly gate?: Gate;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly result?: ActionResult;
  readonly error?: string;
  readonly evidence: readonly Evidence[];
  /** For a manual step: who said it is done, and what they wrote. */
  readonly confirmedBy?: string;
  readonly note?: string;
};

export type IncidentStatus = 'triage' | 'params' | 'preflight' | 'running' | 'resolved' | 'aborted';

export type IncidentState = {
  readonly id: string;
  /** Number of events folded; the expected version of the next append. */
  readonly version: number;
  readonly mode: IncidentMode;
  readonly summary: string;
  readonly channel: string;
  readonly declaredBy: string;
  readonly declaredAt: number;
  /** The version at which the parameters were last set. */
  readonly paramsVersion?: number;
  /** Set when the schedule started this drill. */
  readonly schedule?: ScheduledRun;
  readonly status: IncidentStatus;
  readonly tree?: DecisionTree;
  /** Nodes answered so far, oldest first; the current question is the last `next` target. */
  readonly path: readonly string[];
  readonly node?: string;
  readonly runbook?: Runbook;
  readonly runbookHash?: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly checks: Readonly<Record<string, ActionResult>>;
  /** What each decision-tree probe found, by node. */
  readonly probes: Readonly<Record<string, ProbeFinding>>;
  /** When each outsider was last refused: repeats within a minute are answered but not written down again. */
  readonly refusedAt?: Readonly<Record<string, number>>;
  readonly preflight?: {
    readonly passed: boolean;
    readonly at: number;
    /** Each failed check, as "title: why", for the card. */
    readonly failed: readonly string[];
    readonly overriddenBy?: string;
    readonly gate?: Gate;
  };
  readonly restorePoint?: number;
  /** Set when a step gave the restore point (a failover's lag at the fence); unset, it came from a check. */
  readonly restorePointFrom?: { readonly step: string; readonly lagSeconds?: number };
  readonly steps: Readonly<Record<string, StepState>>;
  readonly restoredAt?: number;
  readonly rtoSeconds?: number;
  readonly rpoSeconds?: number;
  readonly closedAt?: number;
};

/** The step id gates about the preflight use: not a valid runbook id, so it cannot collide with a step. */
export const PREFLIGHT = '#preflight';

function withoutGate(
  preflight: NonNullable<IncidentState['preflight']>,
): NonNullable<IncidentState['preflight']> {
  const { gate: _gate, ...rest } = preflight;
  return rest;
}

/** The restore point a step found replaces any check's: it was measured later, closer to the truth. */
export function withRestorePoint(state: IncidentState, step: string, found: StepRestorePoint): IncidentState {
  const { point, lagSeconds } = found;
  return {
    ...state,
    restorePoint: point,
    restorePointFrom: { step, ...(lagSeconds !== undefined ? { lagSeconds } : {}) },
  };
}

const NEW_STEP: StepState = { status: 'pending', attempt: 0, evidence: [] };

function withStep(state: IncidentState, id: string, change: (step: StepState) => StepState): IncidentState {
  return { ...state, steps: { ...state.steps, [id]: change(state.steps[id] ?? NEW_STEP) } };
}

/** One refusal per outsider per incident per minute is written down; 200 clicks must not make 200 thread posts. */
export const REFUSAL_QUIET_MS = 60_000;

export function recentlyRefused(state: IncidentState, by: string, at: number): boolean {
  const last = state.refusedAt?.[by];
  return last !== undefined && at - last < REFUSAL_QUIET_MS;
}

/** Folds one event into the state. Pure and total: every event the store holds must fold. */
export function evolve(
  state: IncidentState | undefined,
  event: IncidentEvent,
  id = state?.id ?? '',
): IncidentState {
  if (event.type === 'IncidentDeclared') {
    return {
      id,
      version: 1,
      mode: event.mode,
      summary: event.summary,
      channel: event.channel,
      declaredBy: event.by,
      declaredAt: event.at,
      status: 'triage',
      ...(event.tree ? { tree: event.tree, node: event.tree.start } : {}),
      ...(event.schedule ? { schedule: event.schedule } : {}),
      path: [],
      params: {},
      checks: {},
      probes: {},
      steps: {},
    };
  }
  if (!state) throw new Error(`incident ${id}: ${event.type} before IncidentDeclared`);
  const next = apply(state, event);
  return { ...next, version: state.version + 1 };
}

function apply(
  state: IncidentState,
  event: Exclude<IncidentEvent, { type: 'IncidentDeclared' }>,
): IncidentState {
  switch (event.type) {
    case 'DecisionAnswered': {
      const option = state.tree?.nodes[event.node]?.options[event.option];
      return { ...state, path: [...state.path, event.node], ...(option?.next ? { node: option.next } : {}) };
    }
    case 'ProbeRecorded':
      return {
        ...state,
        probes: {
          ...state.probes,
          [event.node]: {
            ...event.evidence,
            ...(event.reading ?? legacyReading(event.evidence.passed, event.evidence.failures)),
          },
        },
      };
    case 'ManualConfirmed':
      return withStep(state, event.step, (s) => ({ ...s, confirmedBy: event.by, note: event.note }));
    case 'DecisionReverted':
      return { ...state, path: state.path.slice(0, -1), node: event.node };
    case 'RunbookSelected':
      return {
        ...state,
        runbook: event.runbook,
        runbookHash: event.hash,
        status: 'params',
        steps: Object.fromEntries(event.runbook.steps.map((s) => [s.id, NEW_STEP])),
      };
    case 'ParamsSet':
      return {
        ...state,
        params: event.params,
        // Names the prerequisite checks these parameters need: one run per setting of them.
        paramsVersion: state.version + 1,
        status: 'preflight',
        preflight: undefined,
      };
    case 'PrerequisitesChecked':
      return {
        ...state,
        checks: Object.fromEntries(event.checks.map((c) => [c.id, c.result])),
        preflight: {
          passed: event.passed,
          at: event.at,
          failed: event.checks
            .filter((c) => !c.passed)
            .map((c) => `${c.title}: ${c.failures.join('; ') || 'failed'}`),
        },
        ...(event.restorePoint !== undefined ? { restorePoint: event.restorePoint } : {}),
        status: event.passed ? 'running' : 'preflight',
      };
    case 'StepRequested': {
      const gate: Gate = {
        kind: event.gate,
        requestedBy: event.by,
        requestedAt: event.at,
        binding: event.binding,
        approvals: [],
      };
      if (event.gate === 'override')
        return {
          ...state,
          preflight: { ...(state.preflight ?? { passed: false, at: event.at, failed: [] }), gate },
        };
      return withStep(state, event.step, (s) => ({
        ...s,
        status: event.gate === 'run' ? 'requested' : s.status,
        gate,
      }));
    }
    case 'ApprovalGranted': {
      const approval = { by: event.by, at: event.at, binding: event.binding };
      if (event.gate === 'override') {
        const gate = state.preflight?.gate;
        return gate && state.preflight
          ? {
              ...state,
              preflight: { ...state.preflight, gate: { ...gate, approvals: [...gate.approvals, approval] } },
            }
          : state;
      }
      return withStep(state, event.step, (s) =>
        s.gate ? { ...s, gate: { ...s.gate, approvals: [...s.gate.approvals, approval] } } : s,
      );
    }
    case 'ApprovalDenied':
    case 'ApprovalsVoided': {
      if (event.step === PREFLIGHT && state.preflight)
        return { ...state, preflight: withoutGate(state.preflight) };
      return withStep(state, event.step, (s) => ({
        status: s.status === 'requested' ? 'pending' : s.status,
        attempt: s.attempt,
        evidence: s.evidence,
        ...(s.result ? { result: s.result } : {}),
      }));
    }
    case 'StepStarted':
      if (event.step === PREFLIGHT && state.preflight)
        return {
          ...state,
          status: 'running',
          preflight: { ...withoutGate(state.preflight), overriddenBy: event.by },
        };
      return withStep(state, event.step, () => ({
        status: 'running',
        attempt: event.attempt,
        startedAt: event.at,
        evidence: [],
      }));
    case 'StepFinished':
      return withStep(
        event.restorePoint ? withRestorePoint(state, event.step, event.restorePoint) : state,
        event.step,
        (s) => ({
          ...s,
          status: event.passed ? 'passed' : 'failed',
          finishedAt: event.at,
          result: event.result,
          ...(event.error !== undefined ? { error: event.error } : {}),
        }),
      );
    case 'VerificationRecorded':
      return withStep(state, event.step, (s) => ({ ...s, evidence: [...s.evidence, event.evidence] }));
    case 'StepInterrupted':
      return withStep(state, event.step, (s) => ({ ...s, status: 'interrupted', error: event.reason }));
    case 'StepSkipped':
      return withStep(state, event.step, (s) => ({
        status: 'skipped',
        attempt: s.attempt,
        evidence: s.evidence,
        finishedAt: event.at,
      }));
    case 'RollbackStarted':
      return withStep(state, event.step, (s) => ({
        status: 'rolling-back',
        attempt: s.attempt,
        evidence: s.evidence,
        ...(s.result ? { result: s.result } : {}),
      }));
    case 'RollbackFinished':
      return withStep(state, event.step, (s) => ({
        ...s,
        status: event.passed ? 'rolled-back' : 'failed',
        ...(event.error !== undefined ? { error: event.error } : {}),
      }));
    case 'ServiceRestored':
      return {
        ...state,
        restoredAt: event.at,
        rtoSeconds: event.rtoSeconds,
        ...(event.rpoSeconds !== undefined ? { rpoSeconds: event.rpoSeconds } : {}),
      };
    case 'NoteAdded':
      return state;
    case 'AccessRefused':
      return { ...state, refusedAt: { ...state.refusedAt, [event.by]: event.at } };
    case 'IncidentResolved':
      return { ...state, status: 'resolved', closedAt: event.at };
    case 'IncidentAborted':
      return { ...state, status: 'aborted', closedAt: event.at };
  }
}

export function replay(id: string, events: readonly IncidentEvent[]): IncidentState | undefined {
  return events.reduce<IncidentState | undefined>((state, event) => evolve(state, event, id), undefined);
}

/** The step that runs next: the first one not yet passed, skipped or rolled back. */
export function currentStep(state: IncidentState): string | undefined {
  return state.runbook?.steps.find((step) => {
    const status = state.steps[step.id]?.status ?? 'pending';
    return status !== 'passed' && status !== 'skipped' && status !== 'rolled-back';
  })?.id;
}

export function isClosed(state: IncidentState): boolean {
  return state.status === 'resolved' || state.status === 'aborted';
}
