import type { Command, Envelope, LoadedRunbookRef } from './commands.js';
import { LIFEBOAT, type IncidentEvent } from './events.js';
import { isClosed, PREFLIGHT, withRestorePoint, type IncidentState } from './incident.js';
import { rpoSecondsOf, stepRestorePoint } from './restore-point.js';
import { approve, gateOf, request, ruleOf } from './gates.js';
import { problemText, validateParams } from './params.js';
import { accept, isMember, refuse, reject, type Decision } from './verdict.js';
import { isManual } from './runbook.js';

export type { Decision } from './verdict.js';

/** Runs that an interrupted idempotent step gets automatically, counting the first. */
export const MAX_AUTOMATIC_ATTEMPTS = 3;

/** The rules of an incident: given its state and a command, the events that follow, or why not. */
export function decide(state: IncidentState | undefined, envelope: Envelope): Decision {
  const { command, actor, now } = envelope;
  const stamp = { at: now, by: actor.id };
  if (command.type === 'Declare') {
    if (state) return reject('already-declared', `Incident ${state.id} already exists.`);
    if (actor.id !== LIFEBOAT && !isMember(actor, ['responders']))
      return refuse(actor, now, 'declare', 'not-a-responder', 'Only responders may declare an incident.');
    if (command.summary.trim() === '')
      return reject('invalid-input', 'Say what is broken: /dr declare <summary>.');
    const declared: IncidentEvent = {
      type: 'IncidentDeclared',
      mode: command.mode,
      summary: command.summary.trim().slice(0, 500),
      channel: command.channel,
      ...(command.tree ? { tree: command.tree } : {}),
      ...(command.schedule ? { schedule: command.schedule } : {}),
      ...stamp,
    };
    return command.runbook ? accept(declared, ...selected(command.runbook, stamp)) : accept(declared);
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
    case 'RecordProbe':
      if (state.status !== 'triage' || !state.tree?.nodes[command.node])
        return reject('not-waiting', 'This question is no longer shown.');
      return accept({
        type: 'ProbeRecorded',
        node: command.node,
        evidence: command.evidence,
        reading: command.reading,
        ...stamp,
      });
    case 'ConfirmManual': {
      const step = state.steps[command.step];
      const definition = state.runbook?.steps.find((s) => s.id === command.step);
      if (!definition || !isManual(definition))
        return reject('invalid-input', `Step ${command.step} is not a manual step.`);
      if (step?.status !== 'running' || step.attempt !== command.attempt)
        return reject('not-waiting', 'This step is no longer waiting for you.');
      if (step.confirmedBy) return reject('not-waiting', `Already confirmed by <@${step.confirmedBy}>.`);
      return accept({
        type: 'ManualConfirmed',
        step: command.step,
        attempt: command.attempt,
        note: command.note.trim().slice(0, 3000),
        ...stamp,
      });
    }
    case 'SetParams': {
      if (!state.runbook || state.status === 'triage')
        return reject('out-of-order', 'Choose a runbook before setting its parameters.');
      // Steps already run used the old values: mixing two sets of parameters in one run is no recovery.
      if (Object.values(state.steps).some((s) => s.attempt > 0 || s.status === 'skipped'))
        return reject(
          'out-of-order',
          'Steps have already run with the current parameters, so they cannot change now. To use other values, abort this incident and declare (or drill) again.',
        );
      const checked = validateParams(state.runbook.params ?? {}, command.params);
      if ('errors' in checked)
        return reject(
          'invalid-params',
          `Some parameters are not valid: ${checked.errors.map(problemText).join('; ')}.`,
        );
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
      const definition = state.runbook?.steps.find((s) => s.id === command.step);
      // Measured even when the step's expect fails: a lag over the target is still the data lost.
      const restorePoint = definition?.restorePoint
        ? stepRestorePoint(definition.restorePoint, command.result, step.startedAt ?? now)
        : undefined;
      const events: IncidentEvent[] = [
        {
          type: 'StepFinished',
          step: command.step,
          attempt: command.attempt,
          passed,
          result: command.result,
          ...(command.error !== undefined ? { error: command.error } : {}),
          durationMs: command.durationMs,
          ...(restorePoint ? { restorePoint } : {}),
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
      if (passed && definition?.restoresService && state.restoredAt === undefined) {
        const rpoSeconds = rpoSecondsOf(
          restorePoint ? withRestorePoint(state, command.step, restorePoint) : state,
        );
        const rpo = rpoSeconds === undefined ? {} : { rpoSeconds };
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
  return accept(answered, ...selected(command.runbook, stamp));
}

/** Choosing a runbook; one that asks for no parameters goes straight on to its prerequisite checks. */
function selected(chosen: LoadedRunbookRef, stamp: { at: number; by: string }): IncidentEvent[] {
  const { runbook, hash } = chosen;
  const selection: IncidentEvent = { type: 'RunbookSelected', runbook, hash, ...stamp };
  return Object.keys(runbook.params ?? {}).length > 0
    ? [selection]
    : [selection, { type: 'ParamsSet', params: {}, ...stamp }];
}
