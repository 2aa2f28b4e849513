import { describe, expect, it } from '@jest/globals';
import { decide } from '../../src/domain/decide.js';
import { evolve, type IncidentState } from '../../src/domain/incident.js';
import type { Command } from '../../src/domain/commands.js';
import { incidentCard } from '../../src/slack/blocks/card.js';
import { alice, envelope, RESTORE_RUNBOOK, system, T0 } from '../support/incident-fixtures.js';

const DESTRUCTIVE_FIRST = { ...RESTORE_RUNBOOK, steps: RESTORE_RUNBOOK.steps.slice(1) };

function fold(commands: [typeof alice, number, Command][]): IncidentState {
  let state: IncidentState | undefined;
  for (const [actor, minutes, command] of commands) {
    const decision = decide(state, envelope('inc-1', actor, T0 + minutes * 60_000, command));
    if (!decision.ok) throw new Error(decision.rejection.message);
    for (const event of decision.events) state = evolve(state, event, 'inc-1');
  }
  if (!state) throw new Error('no state');
  return state;
}

describe('the card of a request nobody approved in time', () => {
  it('says it expired and offers Run again instead of an Approve that can only fail', () => {
    const state = fold([
      [
        alice,
        0,
        {
          type: 'Declare',
          mode: 'incident',
          summary: 's',
          channel: 'C1',
          runbook: { runbook: DESTRUCTIVE_FIRST, hash: 'h' },
        },
      ],
      [alice, 1, { type: 'SetParams', params: { namespace: 'payments' } }],
      [system, 2, { type: 'RecordPrerequisites', checks: [] }],
      [alice, 3, { type: 'Request', step: 'restore', gate: 'run' }],
    ]);
    const buttons = (now: number) =>
      [
        ...new Set(
          JSON.stringify(incidentCard(state, { now: T0 + now * 60_000 })).match(
            /"text":"(Approve|Deny|Run|Skip)"/g,
          ),
        ),
      ].join(' ');
    expect(buttons(10)).toBe('"text":"Approve" "text":"Deny"');
    expect(JSON.stringify(incidentCard(state, { now: T0 + 19 * 60_000 }))).toContain('expired after 15m');
    expect(buttons(19)).toBe('"text":"Run" "text":"Skip"');
  });
});
