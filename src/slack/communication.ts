import { maskSealed } from '../domain/sealed.js';
import { incidentScope } from '../domain/binding.js';
import type { IncidentEvent } from '../domain/events.js';
import type { IncidentState } from '../domain/incident.js';
import { outbound } from '../domain/outbound.js';
import { renderTemplate } from '../domain/template.js';
import { entities, inert, inertValues } from './blocks/text.js';

type Trigger = 'declared' | 'runbook-selected' | 'step-failed' | 'restored' | 'resolved';

function triggersOf(event: IncidentEvent, state: IncidentState): Trigger[] {
  switch (event.type) {
    // An incident's runbook is known only once chosen, so its "declared" message goes out then.
    case 'RunbookSelected':
      return ['declared'];
    case 'ParamsSet':
      return state.status === 'preflight' && Object.values(state.steps).every((s) => s.status === 'pending')
        ? ['runbook-selected']
        : [];
    case 'StepFinished':
      return event.passed ? [] : ['step-failed'];
    case 'ServiceRestored':
      return ['restored'];
    case 'IncidentResolved':
      return ['resolved'];
    default:
      return [];
  }
}

/** The runbook's communication plan for one event: where to post, and what. Drills stay in their own channel. */
export function messagesFor(event: IncidentEvent, state: IncidentState): { channel: string; text: string }[] {
  const plan = state.runbook?.communication ?? [];
  const triggers = triggersOf(event, state);
  return plan
    .filter((entry) => triggers.includes(entry.on))
    .map((entry) => {
      const template = entities(entry.message);
      let text: string;
      try {
        text = maskSealed(renderTemplate(template, inertValues(incidentScope(state))));
      } catch {
        text = template;
      }
      // In a drill the channel is named in the text, so it is shown inert there.
      const target = outbound(state, entry.channel, text).channel;
      return { channel: target, text: outbound(state, inert(entry.channel), text).text };
    });
}
