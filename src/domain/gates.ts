import { bindingOf } from './binding.js';
import type { Actor } from './commands.js';
import { durationSeconds } from './duration.js';
import type { GateKind, IncidentEvent } from './events.js';
import { currentStep, evolve, PREFLIGHT, type Gate, type IncidentState } from './incident.js';
import { approvalFor, DEFAULT_APPROVAL, destructiveRule, type ApprovalRule, type Step } from './runbook.js';
import { accept, isMember, refuse, reject, type Decision } from './verdict.js';

/** Gates: what holds a step (or a preflight override) until the right people approve it. */

function stepOf(state: IncidentState, id: string): Step | undefined {
  return state.runbook?.steps.find((s) => s.id === id);
}

export function gateOf(state: IncidentState, id: string): Gate | undefined {
  return id === PREFLIGHT ? state.preflight?.gate : state.steps[id]?.gate;
}

/**
 * The approval rule of a gate: a step's own; for a skip or a preflight override at least the defaults;
 * for a rollback that is itself destructive, the destructive rule. A count of 0 means no gate.
 */
export function ruleOf(state: IncidentState, id: string, kind: GateKind): ApprovalRule {
  const step = stepOf(state, id);
  if (!step) return DEFAULT_APPROVAL;
  const own = approvalFor(step);
  switch (kind) {
    case 'skip':
    case 'override':
      return own ?? DEFAULT_APPROVAL;
    case 'rollback':
      return step.rollback?.destructive ? destructiveRule(own) : (own ?? { ...DEFAULT_APPROVAL, count: 0 });
    case 'run':
      return own ?? { ...DEFAULT_APPROVAL, count: 0 };
  }
}

/** A request nobody approved in time no longer holds its step: Run (or Skip, Rollback) may be asked again. */
export function isExpired(state: IncidentState, id: string, gate: Gate, now: number): boolean {
  return now - gate.requestedAt > durationSeconds(ruleOf(state, id, gate.kind).expiresIn) * 1000;
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

export function request(
  state: IncidentState,
  id: string,
  kind: GateKind,
  stamp: { at: number; by: string },
): Decision {
  if (kind === 'override') {
    if (state.status !== 'preflight' || !state.preflight || state.preflight.passed)
      return reject('not-waiting', 'Prerequisites have not failed; there is nothing to override.');
    const stale = state.preflight.gate;
    if (stale && !isExpired(state, id, stale, stamp.at))
      return reject('not-waiting', 'An override is already waiting for approval.');
    return accept(...(stale ? [expiredRequest(PREFLIGHT, stamp)] : []), {
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
  const stale = state.steps[id]?.gate;
  if (stale && isExpired(state, id, stale, stamp.at)) {
    const voided = expiredRequest(id, stamp);
    const next = request(evolve(state, voided), id, kind, stamp);
    return next.ok ? accept(voided, ...next.events) : next;
  }
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

function expiredRequest(step: string, stamp: { at: number; by: string }): IncidentEvent {
  return { type: 'ApprovalsVoided', step, reason: 'request expired', ...stamp };
}

export function approve(
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
    return reject('self-approval', `You requested this ${kind}; someone else must approve it.`);
  }
  if (!isMember(actor, rule.from))
    return refuse(
      actor,
      now,
      `approve ${kind} of ${id}`,
      'not-an-approver',
      `Only ${rule.from.join(', ')} may approve this.`,
    );
  if (now - gate.requestedAt > expiresMs)
    return {
      ok: false,
      rejection: {
        code: 'approval-expired',
        message: `This request expired after ${rule.expiresIn} and no longer holds the step; press Run (or Retry) to ask again.`,
      },
      // Written down so the card shows the step free again instead of an Approve that can only fail.
      audit: expiredRequest(id, { at: now, by: actor.id }),
    };
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
