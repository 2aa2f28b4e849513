import type { Actor, Rejection, RejectionCode } from './commands.js';
import type { IncidentEvent } from './events.js';

/** What decide() returns: the events that follow, or why nothing does. */
export type Decision =
  | { readonly ok: true; readonly events: readonly IncidentEvent[] }
  | { readonly ok: false; readonly rejection: Rejection; readonly audit?: IncidentEvent };

export const reject = (code: RejectionCode, message: string): Decision => ({
  ok: false,
  rejection: { code, message },
});
export const accept = (...events: IncidentEvent[]): Decision => ({ ok: true, events });
export const isMember = (actor: Actor, groups: readonly string[]): boolean =>
  groups.some((g) => actor.memberOf.includes(g) || g === actor.id);

/** A refusal that is also written down: who tried what they may not do is part of the audit trail. */
export function refuse(
  actor: Actor,
  now: number,
  action: string,
  code: RejectionCode,
  message: string,
): Decision {
  return {
    ok: false,
    rejection: { code, message },
    audit: { type: 'AccessRefused', action, reason: message, at: now, by: actor.id },
  };
}
