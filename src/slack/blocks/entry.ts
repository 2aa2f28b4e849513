import type { KnownBlock } from '@slack/types';
import type { IncidentEvent } from '../../domain/events.js';
import type { IncidentState } from '../../domain/incident.js';
import { code, context, section } from './limits.js';
import { timelineLine } from './timeline.js';

/** Output longer than this goes up as a file; the message keeps its tail. */
export const INLINE_OUTPUT = 2500;

/** One timeline entry in the incident thread: the line, and for a finished step its output and evidence. */
export function timelineEntry(
  event: IncidentEvent,
  state: IncidentState,
): { text: string; blocks: KnownBlock[]; longOutput?: string } {
  const text = timelineLine(event, state);
  const blocks: KnownBlock[] = [section(state.mode === 'drill' ? `🧪 ${text}` : text)];
  if (event.type === 'StepFinished') {
    const output = [event.result.stdout, event.result.stderr]
      .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
      .join('\n');
    if (output) blocks.push(code(output, INLINE_OUTPUT));
    // What a non-shell action found (a restore's phase and counts, a dry run's command) is the evidence.
    const { stdout: _stdout, stderr: _stderr, ...found } = event.result;
    if (Object.keys(found).length > 0)
      blocks.push(context(`result: \`${JSON.stringify(found).slice(0, 500)}\``));
    const definition = state.runbook?.steps.find((s) => s.id === event.step);
    if (definition) blocks.push(context(`\`${definition.action}\` · attempt ${event.attempt}`));
    return { text, blocks, ...(output.length > INLINE_OUTPUT ? { longOutput: output } : {}) };
  }
  if (event.type === 'VerificationRecorded' && Object.keys(event.evidence.result).length > 0) {
    blocks.push(context(`evidence: \`${JSON.stringify(event.evidence.result).slice(0, 500)}\``));
  }
  return { text, blocks };
}
