import { bindingOf } from '../../src/domain/binding.js';
import type { Actor, Command, Rejection } from '../../src/domain/commands.js';
import type { IncidentEvent } from '../../src/domain/events.js';
import type { IncidentState, StepState } from '../../src/domain/incident.js';
import { alice, bob } from './incident-fixtures.js';
import type { Lifeboat } from './lifeboat-lab.js';

/** A manual step's work, done by the person at the keyboard; returns the note they confirm it with. */
export type ManualWork = (state: IncidentState) => Promise<string>;

export class Refused extends Error {
  constructor(
    readonly command: Command['type'],
    readonly rejection: Rejection,
  ) {
    super(`${command} refused (${rejection.code}): ${rejection.message}`);
  }
}

/**
 * Two people working an incident the way the Slack buttons do: the requester declares, sets
 * parameters, asks to run each step and says "Done" on manual ones; the approver approves what
 * is destructive. Every command goes through the Engine, so the domain's rules apply in full.
 */
export class Responder {
  constructor(
    private readonly lifeboat: Lifeboat,
    readonly incidentId: string,
    private readonly requester: Actor = alice,
    private readonly approver: Actor = bob,
  ) {}

  async send(
    command: Command,
    actor = this.requester,
  ): Promise<{ events: readonly IncidentEvent[]; state: IncidentState }> {
    const result = await this.lifeboat.engine.handle(this.incidentId, actor, command);
    if (!result.ok) throw new Refused(command.type, result.rejection);
    if (!result.state) throw new Error(`${command.type} left no incident state`);
    return { events: result.events, state: result.state };
  }

  async declareDrill(runbookId: string, summary: string): Promise<void> {
    const runbook = this.lifeboat.engine.runbook(runbookId);
    if (!runbook) throw new Error(`runbook ${runbookId} is not loaded`);
    await this.send({ type: 'Declare', mode: 'drill', summary, channel: `C-${this.incidentId}`, runbook });
  }

  /** Sets the parameters and waits for the executor's verdict on the prerequisites. */
  async setParams(
    params: Readonly<Record<string, unknown>>,
  ): Promise<NonNullable<IncidentState['preflight']>> {
    await this.send({ type: 'SetParams', params });
    return this.lifeboat.until(this.incidentId, (state) => state.preflight, 'the prerequisite checks');
  }

  /** Approves the pending gate of `step` as the second person, bound to exactly what will run. */
  async approve(state: IncidentState, step: string, gate: 'run' | 'override'): Promise<IncidentState> {
    const definition = state.runbook?.steps.find((s) => s.id === step);
    const binding = bindingOf(state, gate === 'override' ? undefined : definition, gate);
    return (await this.send({ type: 'Approve', step, gate, binding }, this.approver)).state;
  }

  /**
   * Runs one step to its end: Request, an approval when the step is gated, the manual work and
   * "Done" for a manual step, then waits for its StepFinished.
   */
  async runStep(step: string, manual?: ManualWork): Promise<StepState> {
    const requested = await this.send({ type: 'Request', step, gate: 'run' });
    const started = requested.events.some((e) => e.type === 'StepStarted');
    const state = started ? requested.state : await this.approve(requested.state, step, 'run');
    const attempt = state.steps[step]?.attempt ?? 0;
    if (manual) {
      const note = await manual(state);
      await this.send({ type: 'ConfirmManual', step, attempt, note });
    }
    return this.lifeboat.until(
      this.incidentId,
      (current) => {
        const found = current.steps[step];
        return found?.attempt === attempt && (found.status === 'passed' || found.status === 'failed')
          ? found
          : undefined;
      },
      `step ${step} to finish`,
      5 * 60_000,
    );
  }
}
