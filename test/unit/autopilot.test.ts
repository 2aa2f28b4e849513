import { describe, expect, it } from '@jest/globals';
import type { Actor, Command } from '../../src/domain/commands.js';
import { decide } from '../../src/domain/decide.js';
import { evolve, type IncidentState } from '../../src/domain/incident.js';
import { nextMove } from '../../src/engine/autopilot.js';
import { alice, envelope, RESTORE_RUNBOOK, system, T0 } from '../support/incident-fixtures.js';

const DESTRUCTIVE_FIRST = { ...RESTORE_RUNBOOK, steps: RESTORE_RUNBOOK.steps.slice(1) };

/** Drives a scheduled, pre-approved drill with the autopilot's moves, letting `person` act where given. */
function drive(person?: [Actor, Command]): IncidentState {
  let state: IncidentState | undefined;
  const apply = (actor: Actor, command: Command) => {
    const decision = decide(state, envelope('d', actor, T0, command));
    if (decision.ok) for (const event of decision.events) state = evolve(state, event, 'd');
  };
  apply(system, {
    type: 'Declare',
    mode: 'drill',
    summary: 'scheduled',
    channel: 'C1',
    runbook: { runbook: DESTRUCTIVE_FIRST, hash: 'h' },
    schedule: { due: T0, late: false, preApproved: true, params: { namespace: 'drill-payments' } },
  });
  for (let i = 0; i < 6 && state; i++) {
    if (state.status === 'preflight' && !state.preflight) {
      if (person) apply(...person);
      apply(system, { type: 'RecordPrerequisites', checks: [] });
    }
    const move = nextMove(state);
    if (move) apply(move.actor, move.command);
  }
  if (!state) throw new Error('no state');
  return state;
}

describe('a pre-approved scheduled drill', () => {
  it('approves its destructive step itself with the schedule’s own parameters', () => {
    expect(drive().steps.restore?.status).toBe('running');
  });

  it('waits for a person once someone changed the parameters (to production, say)', () => {
    const state = drive([alice, { type: 'SetParams', params: { namespace: 'payments' } }]);
    expect(state.params).toEqual({ namespace: 'payments' });
    expect(state.steps.restore?.status).toBe('requested');
    expect(state.steps.restore?.gate?.approvals).toEqual([]);
  });
});
