import type { Envelope, Rejection } from '../domain/commands.js';
import { decide } from '../domain/decide.js';
import type { IncidentEvent } from '../domain/events.js';
import { evolve, recentlyRefused, type IncidentState } from '../domain/incident.js';
import type { CommandOutcome, EventLog } from './ports/index.js';
import { StateCache } from './state-cache.js';

export type HandleResult =
  | {
      readonly ok: true;
      readonly events: readonly IncidentEvent[];
      readonly state?: IncidentState;
      readonly duplicate: boolean;
    }
  | { readonly ok: false; readonly rejection: Rejection; readonly duplicate: boolean };

export type HandleOptions = {
  /** A repeat of this key (a Slack retry, a double click) gets the first outcome back and changes nothing. */
  readonly idempotencyKey?: string;
  /** Folded states kept between commands; a fresh one reads the whole stream. */
  readonly cache?: StateCache;
};

/** Appends that lost a race are re-decided on fresh state this many times before the caller hears "busy". */
const MAX_CONFLICTS = 8;

function fold(
  state: IncidentState | undefined,
  id: string,
  events: readonly IncidentEvent[],
): IncidentState | undefined {
  return events.reduce<IncidentState | undefined>((s, e) => evolve(s, e, id), state);
}

/**
 * load → decide → append, for every adapter. One read (one round trip) and one scripted append in the
 * common case; a lost race re-reads and re-decides, so two replicas never both start a step.
 */
export async function handle(
  store: EventLog,
  envelope: Envelope,
  options: HandleOptions = {},
): Promise<HandleResult> {
  const { idempotencyKey, cache = new StateCache(1) } = options;
  const id = envelope.incidentId;
  for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
    const { state, outcome: prior } = await cache.load(store, id, idempotencyKey ? { idempotencyKey } : {});
    if (prior) return replayOutcome(prior, state);
    const decision = decide(state, envelope);
    if (!decision.ok) {
      const audit = decision.audit;
      if (audit && state && !(audit.type === 'AccessRefused' && recentlyRefused(state, audit.by, audit.at)))
        await store.append(id, state.version, [audit], {
          outcome: { ok: false, rejection: decision.rejection },
        });
      if (idempotencyKey)
        await store.remember(id, idempotencyKey, { ok: false, rejection: decision.rejection });
      return { ok: false, rejection: decision.rejection, duplicate: false };
    }
    const outcome: CommandOutcome = { ok: true, eventTypes: decision.events.map((e) => e.type) };
    const closes = decision.events.some((e) => e.type === 'IncidentResolved' || e.type === 'IncidentAborted');
    const declared = decision.events.find((e) => e.type === 'IncidentDeclared');
    const index = declared
      ? { op: 'open' as const, channel: declared.channel }
      : closes && state
        ? { op: 'close' as const, channel: state.channel }
        : undefined;
    const appended = await store.append(id, state?.version ?? 0, decision.events, {
      outcome,
      ...(idempotencyKey ? { idempotencyKey } : {}),
      ...(index ? { index } : {}),
    });
    if (appended.status === 'appended')
      return { ok: true, events: decision.events, state: fold(state, id, decision.events), duplicate: false };
    if (appended.status === 'duplicate') return replayOutcome(appended.outcome, state);
  }
  return {
    ok: false,
    rejection: {
      code: 'not-waiting',
      message: 'Many people acted on this at once; look at the latest card and try again.',
    },
    duplicate: false,
  };
}

function replayOutcome(outcome: CommandOutcome, state: IncidentState | undefined): HandleResult {
  if (!outcome.ok) return { ok: false, rejection: outcome.rejection, duplicate: true };
  return { ok: true, events: [], ...(state ? { state } : {}), duplicate: true };
}
