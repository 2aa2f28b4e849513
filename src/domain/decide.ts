import { bindingOf } from './binding.js';
import type { Actor, Command, Envelope, Rejection, RejectionCode } from './commands.js';
import { durationSeconds } from './duration.js';
import { LIFEBOAT, type GateKind, type IncidentEvent } from './events.js';
import { currentStep, isClosed, PREFLIGHT, type Gate, type IncidentState } from './incident.js';
import { validateParams } from './params.js';
import { approvalFor, DEFAULT_APPROVAL, type ApprovalRule, type Step } from './runbook.js';

export type Decision =
  | { readonly ok: true; readonly events: readonly IncidentEvent[] }
  | { readonly ok: false; readonly rejection: Rejection; readonly audit?: IncidentEvent };

/** Runs that an interrupted idempotent step gets automatically, counting the first. */
export const MAX_AUTOMATIC_ATTEMPTS = 3;

const reject = (code: RejectionCode, message: string): Decision => ({
  ok: false,
  rejection: { code, message },
});
const accept = (...events: IncidentEvent[]): Decision => ({ ok: true, events });
const isMember = (actor: Actor, groups: readonly string[]): boolean =>
  groups.some((g) => actor.memberOf.includes(g) || g === actor.id);

/** The rules of an incident: given its state and a command, the events that follow, or why not. */
export function decide(state: IncidentState | undefined, envelope: Envelope): Decision {
  const { command, actor, now } = envelope;
  const stamp = { at: now, by: actor.id };
  if (command.type === 'Declare') {
    if (state) return reject('already-declared', `Incident ${state.id} already exists.`);
    if (!isMember(actor, ['responders']))
      return refuse(actor, now, 'declare', 'not-a-responder', 'Only responders may declare an incident.');
    if (command.summary.trim() === '')
      return reject('invalid-input', 'Say what is broken: /dr declare <summary>.');
    const declared: IncidentEvent = {
      type: 'IncidentDeclared',
      mode: command.mode,
      summary: command.summary.trim().slice(0, 500),
      channel: command.channel,
      ...(command.tree ? { tree: command.tree } : {}),
      ...stamp,
    };
    return command.runbook
      ? accept(declared, {
          type: 'RunbookSelected',
          runbook: command.runbook.runbook,
          hash: command.runbook.hash,
          ...stamp,
        })
      : accept(declared);
  }
  if (!state) return reject('unknown-incident', `There is no incident ${envelope.incidentId}.`);
  if (isClosed(state) && command.type !== 'AddNote')
    return reject('incident-closed', `This incident is ${state.status}; it only takes notes now.`);
  const system = actor.id === LIFEBOAT;
  if (!system && !isMember(actor, ['responders']) && command.type !== 'Approve' && command.type !== 'Deny') {
    return refuse(
      actor,
      now,
      command.type,
      'not-a-responder',
      'Only responders may do this. Ask an incident responder, or an admin to add you to the responders list.',
    );
  }
  switch (command.type) {
    case 'Answer':
      return answer(state, command, stamp);
    case 'Back': {
      const previous = state.path[state.path.length - 1];
      if (state.status !== 'triage' || previous === undefined)
        return reject('not-waiting', 'There is no earlier question to go back to.');
      return accept({ type: 'DecisionReverted', node: previous, ...stamp });
    }
    case 'SetParams': {
      if (!state.runbook || state.status === 'triage')
        return reject('out-of-order', 'Choose a runbook before setting its parameters.');
      if (Object.values(state.steps).some((s) => s.status === 'running' || s.status === 'rolling-back'))
        return reject('out-of-order', 'A step is running; change parameters after it finishes.');
      const checked = validateParams(state.runbook.params ?? {}, command.params);
      if ('errors' in checked)
        return reject('invalid-params', `Some parameters are not valid: ${checked.errors.join('; ')}.`);
      const voided = Object.entries(state.steps).flatMap(([id, s]): IncidentEvent[] =>
        s.gate ? [{ type: 'ApprovalsVoided', step: id, reason: 'parameters changed', ...stamp }] : [],
      );
      const preflightVoided: IncidentEvent[] = state.preflight?.gate
        ? [{ type: 'ApprovalsVoided', step: PREFLIGHT, reason: 'parameters changed', ...stamp }]
        : [];
      return accept({ type: 'ParamsSet', params: checked.values, ...stamp }, ...voided, ...preflightVoided);
    }
    case 'RecordPrerequisites': {
      if (state.status !== 'preflight')
        return reject('out-of-order', 'Prerequisites are checked once parameters are set.');
      const passed = command.checks.every((c) => c.passed);
      return accept({
        type: 'PrerequisitesChecked',
        passed,
        checks: command.checks,
        ...(command.restorePoint !== undefined ? { restorePoint: command.restorePoint } : {}),
        ...stamp,
      });
    }
    case 'Request':
      return request(state, command.step, command.gate, stamp);
    case 'Approve':
      return approve(state, actor, command.step, command.gate, command.binding, now);
    case 'Deny': {
      const gate = gateOf(state, command.step);
      if (!gate || gate.kind !== command.gate)
        return reject('not-waiting', 'This is no longer waiting for approval.');
      if (!isMember(actor, ruleOf(state, command.step, gate.kind).from))
        return refuse(actor, now, 'deny', 'not-an-approver', 'Only approvers may deny this.');
      return accept({
        type: 'ApprovalDenied',
        step: command.step,
        gate: command.gate,
        reason: command.reason.slice(0, 500),
        ...stamp,
      });
    }
    case 'RecordStepResult': {
      const step = state.steps[command.step];
      if (
        !step ||
        step.attempt !== command.attempt ||
        (step.status !== 'running' && step.status !== 'interrupted')
      ) {
        return reject('not-waiting', `Step ${command.step} attempt ${command.attempt} is not running.`);
      }
      const passed = command.passed && command.evidence.every((e) => e.passed);
      const events: IncidentEvent[] = [
        {
          type: 'StepFinished',
          step: command.step,
          attempt: command.attempt,
          passed,
          result: command.result,
          ...(command.error !== undefined ? { error: command.error } : {}),
          durationMs: command.durationMs,
          ...stamp,
        },
        ...command.evidence.map((evidence): IncidentEvent => ({
          type: 'VerificationRecorded',
          step: command.step,
          attempt: command.attempt,
          evidence,
          ...stamp,
        })),
      ];
      const definition = state.runbook?.steps.find((s) => s.id === command.step);
      if (passed && definition?.restoresService && state.restoredAt === undefined) {
        const rpo =
          state.restorePoint === undefined
            ? {}
            : { rpoSeconds: Math.max(0, Math.round((state.declaredAt - state.restorePoint) / 1000)) };
        events.push({
          type: 'ServiceRestored',
          step: command.step,
          rtoSeconds: Math.round((now - state.declaredAt) / 1000),
          ...rpo,
          ...stamp,
        });
      }
      return accept(...events);
    }
    case 'RecordRollback':
      if (state.steps[command.step]?.status !== 'rolling-back')
        return reject('not-waiting', `Step ${command.step} is not rolling back.`);
      return accept({
        type: 'RollbackFinished',
        step: command.step,
        passed: command.passed,
        result: command.result,
        ...(command.error !== undefined ? { error: command.error } : {}),
        ...stamp,
      });
    case 'MarkInterrupted': {
      const step = state.steps[command.step];
      if (step?.status !== 'running' || step.attempt !== command.attempt)
        return reject('not-waiting', `Step ${command.step} attempt ${command.attempt} is not running.`);
      const interrupted: IncidentEvent = {
        type: 'StepInterrupted',
        step: command.step,
        attempt: command.attempt,
        reason: command.reason,
        ...stamp,
      };
      const idempotent = state.runbook?.steps.find((s) => s.id === command.step)?.idempotent === true;
      if (!idempotent || command.attempt >= MAX_AUTOMATIC_ATTEMPTS) return accept(interrupted);
      return accept(interrupted, {
        type: 'StepStarted',
        step: command.step,
        attempt: command.attempt + 1,
        at: now,
        by: LIFEBOAT,
      });
    }
    case 'AddNote':
      if (command.text.trim() === '')
        return reject('invalid-input', 'Write the note after the command: /dr note <text>.');
      return accept({ type: 'NoteAdded', text: command.text.trim().slice(0, 3000), ...stamp });
    case 'Resolve':
      if (Object.values(state.steps).some((s) => s.status === 'running' || s.status === 'rolling-back'))
        return reject('out-of-order', 'A step is still running; wait for it, or abort.');
      return accept({ type: 'IncidentResolved', ...stamp });
    case 'Abort':
      return accept({
        type: 'IncidentAborted',
        reason: command.reason.trim().slice(0, 500) || 'aborted',
        ...stamp,
      });
  }
}

/** A refusal that is also written down: who tried what they may not do is part of the audit trail. */
function refuse(actor: Actor, now: number, action: string, code: RejectionCode, message: string): Decision {
  return {
    ok: false,
    rejection: { code, message },
    audit: { type: 'AccessRefused', action, reason: message, at: now, by: actor.id },
  };
}

function answer(
  state: IncidentState,
  command: Extract<Command, { type: 'Answer' }>,
  stamp: { at: number; by: string },
): Decision {
  if (state.status !== 'triage' || !state.tree || state.node === undefined)
    return reject('not-waiting', 'This incident is past its questions.');
  if (command.node !== state.node)
    return reject('not-waiting', 'That question was already answered; look at the latest card.');
  const option = state.tree.nodes[state.node]?.options[command.option];
  if (!option) return reject('invalid-input', 'That answer is not one of the options.');
  const answered: IncidentEvent = {
    type: 'DecisionAnswered',
    node: command.node,
    option: command.option,
    label: option.label,
    ...stamp,
  };
  if (option.next !== undefined) return accept(answered);
  if (!command.runbook || command.runbook.runbook.id !== option.runbook)
    return reject(
      'invalid-input',
      `Runbook ${option.runbook ?? ''} is not loaded; run lifeboat lint on the runbook folder.`,
    );
  return accept(answered, {
    type: 'RunbookSelected',
    runbook: command.runbook.runbook,
    hash: command.runbook.hash,
    ...stamp,
  });
}

function stepOf(state: IncidentState, id: string): Step | undefined {
  return state.runbook?.steps.find((s) => s.id === id);
}

function gateOf(state: IncidentState, id: string): Gate | undefined {
  return id === PREFLIGHT ? state.preflight?.gate : state.steps[id]?.gate;
}

/** The approval rule of a gate: a step's own, the defaults for a skip or a preflight override; none means no gate. */
function ruleOf(state: IncidentState, id: string, kind: GateKind): ApprovalRule {
  const step = stepOf(state, id);
  if (kind === 'skip' || kind === 'override' || !step)
    return step ? (approvalFor(step) ?? DEFAULT_APPROVAL) : DEFAULT_APPROVAL;
  return approvalFor(step) ?? { ...DEFAULT_APPROVAL, count: 0 };
}

function gatedEffect(
  state: IncidentState,
  id: string,
  kind: GateKind,
  at: number,
  by: string,
): IncidentEvent {
  switch (kind) {
    case 'run':
      return { type: 'StepStarted', step: id, attempt: (state.steps[id]?.attempt ?? 0) + 1, at, by };
    case 'skip':
      return { type: 'StepSkipped', step: id, at, by };
    case 'rollback':
      return { type: 'RollbackStarted', step: id, at, by };
    case 'override':
      return { type: 'StepStarted', step: PREFLIGHT, attempt: 1, at, by };
  }
}

function request(
  state: IncidentState,
  id: string,
  kind: GateKind,
  stamp: { at: number; by: string },
): Decision {
  if (kind === 'override') {
    if (state.status !== 'preflight' || !state.preflight || state.preflight.passed)
      return reject('not-waiting', 'Prerequisites have not failed; there is nothing to override.');
    if (state.preflight.gate) return reject('not-waiting', 'An override is already waiting for approval.');
    return accept({
      type: 'StepRequested',
      step: PREFLIGHT,
      gate: kind,
      binding: bindingOf(state, undefined, kind),
      ...stamp,
    });
  }
  const step = stepOf(state, id);
  if (!step) return reject('invalid-input', `This runbook has no step ${id}.`);
  if (state.status !== 'running')
    return reject(
      'out-of-order',
      'The runbook has not started: set its parameters and pass its prerequisites first.',
    );
  if (currentStep(state) !== id)
    return reject(
      'out-of-order',
      `Steps run in order; the next step is ${currentStep(state) ?? 'none (all done)'}.`,
    );
  const current = state.steps[id];
  if (current?.gate)
    return reject('not-waiting', `This step is already waiting for approval of a ${current.gate.kind}.`);
  const status = current?.status ?? 'pending';
  const allowed: Record<GateKind, readonly string[]> = {
    run: ['pending', 'failed', 'interrupted'],
    skip: ['pending', 'failed', 'interrupted'],
    rollback: ['failed', 'interrupted'],
    override: [],
  };
  if (!allowed[kind].includes(status))
    return reject('not-waiting', `Step ${id} is ${status}; it cannot ${kind} now.`);
  if (kind === 'rollback' && !step.rollback)
    return reject('invalid-input', `Step ${id} has no rollback; retry, skip or abort.`);
  const rule = ruleOf(state, id, kind);
  if (rule.count === 0) return accept(gatedEffect(state, id, kind, stamp.at, stamp.by));
  return accept({
    type: 'StepRequested',
    step: id,
    gate: kind,
    binding: bindingOf(state, step, kind),
    ...stamp,
  });
}

function approve(
  state: IncidentState,
  actor: Actor,
  id: string,
  kind: GateKind,
  binding: string,
  now: number,
): Decision {
  const gate = gateOf(state, id);
  if (!gate || gate.kind !== kind)
    return reject('not-waiting', 'This step is no longer waiting for approval.');
  const rule = ruleOf(state, id, kind);
  const expiresMs = durationSeconds(rule.expiresIn) * 1000;
  if (actor.id === gate.requestedBy && !rule.allowRequester) {
    return reject(
      'self-approval',
      `You requested this ${kind}; someone else must approve it. Approvers: ${rule.from.join(', ')}.`,
    );
  }
  if (!isMember(actor, rule.from))
    return refuse(
      actor,
      now,
      `approve ${kind} of ${id}`,
      'not-an-approver',
      `Only ${rule.from.join(', ')} may approve this. Ask one of them.`,
    );
  if (now - gate.requestedAt > expiresMs)
    return reject('approval-expired', `This request expired after ${rule.expiresIn}; request it again.`);
  const current =
    id === PREFLIGHT ? bindingOf(state, undefined, kind) : bindingOf(state, stepOf(state, id), kind);
  if (binding !== current || gate.binding !== current)
    return reject(
      'binding-changed',
      'What this step will run changed since the request; review it and request again.',
    );
  const valid = gate.approvals.filter((a) => now - a.at <= expiresMs && a.binding === current);
  if (valid.some((a) => a.by === actor.id))
    return reject('already-approved', 'You already approved this; it needs someone else too.');
  const granted: IncidentEvent = {
    type: 'ApprovalGranted',
    step: id,
    gate: kind,
    binding,
    at: now,
    by: actor.id,
  };
  if (valid.length + 1 < rule.count) return accept(granted);
  return accept(granted, gatedEffect(state, id, kind, now, actor.id));
}
