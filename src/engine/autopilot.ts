import { bindingOf } from '../domain/binding.js';
import type { Actor, Command } from '../domain/commands.js';
import { LIFEBOAT } from '../domain/events.js';
import { currentStep, isClosed, type IncidentState } from '../domain/incident.js';
import { approvalFor, isManual } from '../domain/runbook.js';
import type { FeedEntry } from './ports/index.js';
import type { Engine } from './engine.js';

/** Lifeboat asks for each step of a scheduled drill; it is never the one who approves. */
const PILOT: Actor = { id: LIFEBOAT, memberOf: [] };
/** The schedule's pre-approval, configured by a person for a drill cluster: a second party, as the two-person rule needs. */
const PRE_APPROVAL: Actor = { id: 'lifeboat-schedule', memberOf: ['approvers', 'responders'] };

/** The next thing a scheduled drill needs, or nothing when it waits for a person (a manual step, a failure, an approval). */
export function nextMove(state: IncidentState): { actor: Actor; command: Command } | undefined {
  const schedule = state.schedule;
  if (!schedule || isClosed(state) || !state.runbook) return undefined;
  if (state.status === 'params')
    return { actor: PILOT, command: { type: 'SetParams', params: schedule.params } };
  if (state.status !== 'running') return undefined;
  const id = currentStep(state);
  const step = state.runbook.steps.find((s) => s.id === id);
  if (!step || id === undefined)
    return state.restoredAt !== undefined ? { actor: PILOT, command: { type: 'Resolve' } } : undefined;
  const current = state.steps[id];
  if (current?.gate?.kind === 'run' && schedule.preApproved && sameParams(state.params, schedule.params)) {
    const rule = approvalFor(step);
    const approver = { ...PRE_APPROVAL, memberOf: [...PRE_APPROVAL.memberOf, ...(rule?.from ?? [])] };
    return {
      actor: approver,
      command: { type: 'Approve', step: id, gate: 'run', binding: bindingOf(state, step, 'run') },
    };
  }
  if (current?.status === 'pending' && !current.gate && !isManual(step))
    return { actor: PILOT, command: { type: 'Request', step: id, gate: 'run' } };
  return undefined;
}

/** Drives scheduled drills forward as their events arrive. */
export async function steerScheduledDrill(engine: Engine, entry: FeedEntry): Promise<void> {
  const state = await engine.state(entry.incidentId);
  const move = state ? nextMove(state) : undefined;
  if (state && move)
    await engine.handle(state.id, move.actor, move.command, {
      idempotencyKey: `autopilot:${state.version}`,
    });
}

/** The pre-approval was given for the schedule's parameters: once a person changed them, a person approves. */
function sameParams(
  current: Readonly<Record<string, string | number>>,
  scheduled: Readonly<Record<string, string>>,
): boolean {
  const keys = new Set([...Object.keys(current), ...Object.keys(scheduled)]);
  return [...keys].every((key) => String(current[key]) === scheduled[key]);
}
