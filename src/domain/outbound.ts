import type { IncidentMode } from './events.js';

/** Where a message meant for people goes: a drill keeps it in its own channel, saying where it would have gone. */
export function outbound(
  incident: { readonly mode: IncidentMode; readonly channel: string },
  channel: string,
  text: string,
): { channel: string; text: string } {
  return incident.mode === 'drill'
    ? { channel: incident.channel, text: `🧪 [DRILL — would post to ${channel}] ${text}` }
    : { channel, text };
}
