import { describe, expect, it } from '@jest/globals';
import { bindingOf } from '../../src/domain/binding.js';
import type { Actor, Command } from '../../src/domain/commands.js';
import { decide, type Decision } from '../../src/domain/decide.js';
import type { IncidentEvent } from '../../src/domain/events.js';
import { currentStep, evolve, type IncidentState } from '../../src/domain/incident.js';
import type { Step } from '../../src/domain/runbook.js';
import {
  alice,
  bob,
  carol,
  envelope,
  mallory,
  RESTORE_RUNBOOK,
  system,
  T0,
} from '../support/incident-fixtures.js';

/** The destructive step first, so that it can be requested before any step has run. */
const DESTRUCTIVE_FIRST = { ...RESTORE_RUNBOOK, steps: RESTORE_RUNBOOK.steps.slice(1) };

/** Drives the pure rules the way the engine does: decide, then fold what was accepted. */
class Incident {
  state: IncidentState | undefined;
  readonly log: IncidentEvent[] = [];
  do(actor: Actor, minutes: number, command: Command): Decision {
    const decision = decide(this.state, envelope('inc-1', actor, T0 + minutes * 60_000, command));
    for (const event of decision.ok ? decision.events : []) {
      this.log.push(event);
      this.state = evolve(this.state, event, 'inc-1');
    }
    return decision;
  }
  ok(actor: Actor, minutes: number, command: Command): readonly IncidentEvent[] {
    const decision = this.do(actor, minutes, command);
    if (!decision.ok) throw new Error(`rejected: ${decision.rejection.message}`);
    return decision.events;
  }
  get s(): IncidentState {
    if (!this.state) throw new Error('not declared');
    return this.state;
  }
}

function runningIncident(): Incident {
  const incident = new Incident();
  incident.ok(alice, 0, {
    type: 'Declare',
    mode: 'incident',
    summary: 'payments namespace deleted',
    channel: 'C1',
    runbook: { runbook: RESTORE_RUNBOOK, hash: 'h1' },
  });
  incident.ok(alice, 1, { type: 'SetParams', params: { namespace: 'payments' } });
  incident.ok(system, 2, {
    type: 'RecordPrerequisites',
    checks: [{ id: 'fresh', title: 'fresh', passed: true, result: {}, failures: [] }],
    restorePoint: T0 - 6 * 3600_000,
  });
  incident.ok(alice, 3, { type: 'Request', step: 'look', gate: 'run' });
  incident.ok(system, 4, {
    type: 'RecordStepResult',
    step: 'look',
    attempt: 1,
    passed: true,
    result: { exitCode: 0 },
    durationMs: 10,
    evidence: [],
  });
  return incident;
}

/** The destructive step requested by alice at minute 5 and approved by bob at minute 6. */
function restoreRunning(): Incident {
  const incident = runningIncident();
  incident.ok(alice, 5, { type: 'Request', step: 'restore', gate: 'run' });
  incident.ok(bob, 6, {
    type: 'Approve',
    step: 'restore',
    gate: 'run',
    binding: bindingOf(incident.s, RESTORE_RUNBOOK.steps[1], 'run'),
  });
  return incident;
}

const rejectionOf = (decision: Decision) => (decision.ok ? undefined : decision.rejection);

describe('choosing a runbook', () => {
  it('asks for parameters only when the runbook has some; one without goes straight to its checks', () => {
    const withParams = new Incident();
    withParams.ok(alice, 0, {
      type: 'Declare',
      mode: 'drill',
      summary: 'drill',
      channel: 'C1',
      runbook: { runbook: RESTORE_RUNBOOK, hash: 'h1' },
    });
    expect(withParams.s.status).toBe('params');

    const without = new Incident();
    const events = without.ok(alice, 0, {
      type: 'Declare',
      mode: 'drill',
      summary: 'drill',
      channel: 'C1',
      runbook: { runbook: { ...RESTORE_RUNBOOK, params: undefined }, hash: 'h2' },
    });
    expect(events.map((e) => e.type)).toEqual(['IncidentDeclared', 'RunbookSelected', 'ParamsSet']);
    expect(without.s.status).toBe('preflight');
  });
});

describe('an ungated step', () => {
  it('starts as soon as a responder asks, and only in order', () => {
    const incident = new Incident();
    incident.ok(alice, 0, {
      type: 'Declare',
      mode: 'incident',
      summary: 'x',
      channel: 'C1',
      runbook: { runbook: RESTORE_RUNBOOK, hash: 'h1' },
    });
    expect(rejectionOf(incident.do(alice, 1, { type: 'Request', step: 'look', gate: 'run' }))?.code).toBe(
      'out-of-order',
    );
    incident.ok(alice, 1, { type: 'SetParams', params: { namespace: 'payments' } });
    incident.ok(system, 2, { type: 'RecordPrerequisites', checks: [], restorePoint: T0 });
    expect(
      rejectionOf(incident.do(alice, 3, { type: 'Request', step: 'restore', gate: 'run' }))?.message,
    ).toMatch(/next step is look/);
    expect(incident.ok(alice, 3, { type: 'Request', step: 'look', gate: 'run' }).map((e) => e.type)).toEqual([
      'StepStarted',
    ]);
  });
});

describe('the two-person rule on a destructive step', () => {
  it('holds the step until someone other than the requester approves, then starts it once', () => {
    const incident = runningIncident();
    expect(
      incident.ok(alice, 5, { type: 'Request', step: 'restore', gate: 'run' }).map((e) => e.type),
    ).toEqual(['StepRequested']);
    const binding = bindingOf(incident.s, RESTORE_RUNBOOK.steps[1], 'run');
    const self = rejectionOf(
      incident.do(alice, 6, { type: 'Approve', step: 'restore', gate: 'run', binding }),
    );
    expect(self).toEqual({
      code: 'self-approval',
      message: 'You requested this run; someone else must approve it.',
    });
    expect(
      incident.ok(bob, 6, { type: 'Approve', step: 'restore', gate: 'run', binding }).map((e) => e.type),
    ).toEqual(['ApprovalGranted', 'StepStarted']);
    expect(incident.s.steps.restore?.status).toBe('running');
    expect(
      rejectionOf(incident.do(carol, 6, { type: 'Approve', step: 'restore', gate: 'run', binding }))?.code,
    ).toBe('not-waiting');
  });

  it('refuses someone outside the approver group and writes the refusal down', () => {
    const incident = runningIncident();
    incident.ok(alice, 5, { type: 'Request', step: 'restore', gate: 'run' });
    const binding = bindingOf(incident.s, RESTORE_RUNBOOK.steps[1], 'run');
    const decision = incident.do(mallory, 6, { type: 'Approve', step: 'restore', gate: 'run', binding });
    expect(decision.ok).toBe(false);
    expect(!decision.ok && decision.rejection.code).toBe('not-an-approver');
    expect(!decision.ok && decision.audit).toMatchObject({ type: 'AccessRefused', by: 'UMALLORY' });
    expect(incident.s.steps.restore?.status).toBe('requested');
  });

  it('refuses an approval after the request expired (15 minutes by default)', () => {
    const incident = runningIncident();
    incident.ok(alice, 5, { type: 'Request', step: 'restore', gate: 'run' });
    const binding = bindingOf(incident.s, RESTORE_RUNBOOK.steps[1], 'run');
    expect(
      rejectionOf(incident.do(bob, 21, { type: 'Approve', step: 'restore', gate: 'run', binding }))?.code,
    ).toBe('approval-expired');
  });

  it('voids approvals when the parameters change, and refuses an approval of what was shown before', () => {
    const incident = new Incident();
    incident.ok(alice, 0, {
      type: 'Declare',
      mode: 'incident',
      summary: 'payments namespace deleted',
      channel: 'C1',
      runbook: { runbook: DESTRUCTIVE_FIRST, hash: 'h1' },
    });
    incident.ok(alice, 1, { type: 'SetParams', params: { namespace: 'payments' } });
    incident.ok(system, 2, { type: 'RecordPrerequisites', checks: [], restorePoint: T0 });
    incident.ok(alice, 5, { type: 'Request', step: 'restore', gate: 'run' });
    const shown = bindingOf(incident.s, RESTORE_RUNBOOK.steps[1], 'run');
    expect(
      incident.ok(alice, 6, { type: 'SetParams', params: { namespace: 'billing' } }).map((e) => e.type),
    ).toEqual(['ParamsSet', 'ApprovalsVoided']);
    incident.ok(system, 7, { type: 'RecordPrerequisites', checks: [], restorePoint: T0 });
    expect(
      rejectionOf(incident.do(bob, 7, { type: 'Approve', step: 'restore', gate: 'run', binding: shown }))
        ?.code,
    ).toBe('not-waiting');
    incident.ok(alice, 8, { type: 'Request', step: 'restore', gate: 'run' });
    expect(
      rejectionOf(incident.do(bob, 8, { type: 'Approve', step: 'restore', gate: 'run', binding: shown }))
        ?.code,
    ).toBe('binding-changed');
  });

  it('refuses a parameter change once a step has run, saying to abort and start again', () => {
    const incident = runningIncident();
    const refused = rejectionOf(
      incident.do(alice, 5, { type: 'SetParams', params: { namespace: 'billing' } }),
    );
    expect(refused?.code).toBe('out-of-order');
    expect(refused?.message).toMatch(/abort this incident/);
    expect(incident.s.params).toEqual({ namespace: 'payments' });
  });

  it('needs a second person even when the runbook asks for 0 approvals or lets the requester approve alone', () => {
    for (const approval of [
      { count: 0, from: ['approvers'], allowRequester: false, expiresIn: '15m' },
      { count: 1, from: ['approvers'], allowRequester: true, expiresIn: '15m' },
    ]) {
      const incident = runningIncident();
      const [look, restore, smoke] = RESTORE_RUNBOOK.steps as [Step, Step, Step];
      const weak: Step = { ...restore, approval };
      incident.state = { ...incident.s, runbook: { ...RESTORE_RUNBOOK, steps: [look, weak, smoke] } };
      expect(
        incident.ok(alice, 5, { type: 'Request', step: 'restore', gate: 'run' }).map((e) => e.type),
      ).toEqual(['StepRequested']);
      const binding = bindingOf(incident.s, weak, 'run');
      expect(
        rejectionOf(incident.do(alice, 6, { type: 'Approve', step: 'restore', gate: 'run', binding }))?.code,
      ).toBe('self-approval');
      expect(
        incident.ok(bob, 6, { type: 'Approve', step: 'restore', gate: 'run', binding }).map((e) => e.type),
      ).toEqual(['ApprovalGranted', 'StepStarted']);
    }
  });

  it('an expired request releases its step: the card can offer Run again, and Run asks anew', () => {
    const incident = runningIncident();
    incident.ok(alice, 5, { type: 'Request', step: 'restore', gate: 'run' });
    const binding = bindingOf(incident.s, RESTORE_RUNBOOK.steps[1], 'run');
    const late = incident.do(bob, 21, { type: 'Approve', step: 'restore', gate: 'run', binding });
    expect(rejectionOf(late)?.message).toMatch(/press Run/);
    expect(!late.ok && late.audit).toMatchObject({ type: 'ApprovalsVoided', reason: 'request expired' });
    // Without the audit folded (another replica, a lost append), Run still works: the stale request is voided first.
    expect(
      incident.ok(alice, 22, { type: 'Request', step: 'restore', gate: 'run' }).map((e) => e.type),
    ).toEqual(['ApprovalsVoided', 'StepRequested']);
    expect(incident.s.steps.restore?.gate?.requestedAt).toBe(T0 + 22 * 60_000);
  });
});

describe('after a failure', () => {
  function failedRestore(): Incident {
    const incident = restoreRunning();
    incident.ok(system, 7, {
      type: 'RecordStepResult',
      step: 'restore',
      attempt: 1,
      passed: false,
      result: { exitCode: 1 },
      durationMs: 5,
      evidence: [],
    });
    return incident;
  }

  it('a skip needs an approval too', () => {
    const incident = failedRestore();
    expect(
      incident.ok(alice, 8, { type: 'Request', step: 'restore', gate: 'skip' }).map((e) => e.type),
    ).toEqual(['StepRequested']);
    const binding = bindingOf(incident.s, RESTORE_RUNBOOK.steps[1], 'skip');
    expect(
      incident.ok(bob, 9, { type: 'Approve', step: 'restore', gate: 'skip', binding }).map((e) => e.type),
    ).toEqual(['ApprovalGranted', 'StepSkipped']);
    expect(currentStep(incident.s)).toBe('smoke');
  });

  it('a rollback follows the step’s approval rule, and a retry is a new attempt', () => {
    const incident = failedRestore();
    incident.ok(alice, 8, { type: 'Request', step: 'restore', gate: 'rollback' });
    incident.ok(bob, 9, {
      type: 'Approve',
      step: 'restore',
      gate: 'rollback',
      binding: bindingOf(incident.s, RESTORE_RUNBOOK.steps[1], 'rollback'),
    });
    expect(incident.s.steps.restore?.status).toBe('rolling-back');
    incident.ok(system, 10, {
      type: 'RecordRollback',
      step: 'restore',
      passed: false,
      result: {},
      error: 'still broken',
    });
    incident.ok(alice, 11, { type: 'Request', step: 'restore', gate: 'run' });
    const events = incident.ok(carol, 12, {
      type: 'Approve',
      step: 'restore',
      gate: 'run',
      binding: bindingOf(incident.s, RESTORE_RUNBOOK.steps[1], 'run'),
    });
    expect(events[1]).toMatchObject({ type: 'StepStarted', attempt: 2 });
  });
});

describe('interruption', () => {
  it('an interrupted step is not re-run unless the runbook says it is idempotent', () => {
    const incident = restoreRunning();
    expect(
      incident
        .ok(system, 30, { type: 'MarkInterrupted', step: 'restore', attempt: 1, reason: 'lease expired' })
        .map((e) => e.type),
    ).toEqual(['StepInterrupted']);
    incident.ok(system, 31, { type: 'Request', step: 'restore', gate: 'skip' });
    incident.ok(bob, 31, {
      type: 'Approve',
      step: 'restore',
      gate: 'skip',
      binding: bindingOf(incident.s, RESTORE_RUNBOOK.steps[1], 'skip'),
    });
    incident.ok(alice, 32, { type: 'Request', step: 'smoke', gate: 'run' });
    const rerun = incident.ok(system, 40, {
      type: 'MarkInterrupted',
      step: 'smoke',
      attempt: 1,
      reason: 'lease expired',
    });
    expect(rerun.map((e) => e.type)).toEqual(['StepInterrupted', 'StepStarted']);
    expect(rerun[1]).toMatchObject({ attempt: 2 });
  });
});

describe('RTO, RPO and closing', () => {
  it('measures RTO from declaration to the restoring step, and RPO from the restore point', () => {
    const incident = restoreRunning();
    incident.ok(system, 12, {
      type: 'RecordStepResult',
      step: 'restore',
      attempt: 1,
      passed: true,
      result: {},
      durationMs: 1,
      evidence: [{ title: 'ok', passed: true, result: {}, failures: [] }],
    });
    incident.ok(alice, 13, { type: 'Request', step: 'smoke', gate: 'run' });
    const events = incident.ok(system, 17, {
      type: 'RecordStepResult',
      step: 'smoke',
      attempt: 1,
      passed: true,
      result: {},
      durationMs: 1,
      evidence: [],
    });
    expect(events.at(-1)).toMatchObject({
      type: 'ServiceRestored',
      rtoSeconds: 17 * 60,
      rpoSeconds: 6 * 3600,
    });
    incident.ok(alice, 20, { type: 'Resolve' });
    expect(rejectionOf(incident.do(alice, 21, { type: 'Request', step: 'smoke', gate: 'run' }))?.code).toBe(
      'incident-closed',
    );
    expect(
      incident.ok(bob, 22, { type: 'AddNote', text: 'postmortem on Monday' }).map((e) => e.type),
    ).toEqual(['NoteAdded']);
  });

  it('a failing verification fails the step', () => {
    const incident = restoreRunning();
    incident.ok(system, 7, {
      type: 'RecordStepResult',
      step: 'restore',
      attempt: 1,
      passed: true,
      result: {},
      durationMs: 1,
      evidence: [
        { title: 'pods up', passed: false, result: { ready: false }, failures: ['ready = true, got false'] },
      ],
    });
    expect(incident.s.steps.restore?.status).toBe('failed');
  });

  it('names every invalid parameter', () => {
    const incident = new Incident();
    incident.ok(alice, 0, {
      type: 'Declare',
      mode: 'drill',
      summary: 'drill',
      channel: 'C1',
      runbook: { runbook: RESTORE_RUNBOOK, hash: 'h1' },
    });
    const rejection = rejectionOf(
      incident.do(alice, 1, { type: 'SetParams', params: { namespace: 'Payments; rm -rf /', extra: 'x' } }),
    );
    expect(rejection?.code).toBe('invalid-params');
    expect(rejection?.message).toMatch(/extra: this runbook has no such parameter/);
    expect(rejection?.message).toMatch(/namespace: .* must be a Kubernetes name/);
  });
});
