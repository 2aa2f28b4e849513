import type { KnownBlock } from '@slack/types';
import type { IncidentEvent } from '../../domain/events.js';
import { formatSeconds } from '../../domain/duration.js';
import type { IncidentState } from '../../domain/incident.js';
import type { StepRestorePoint } from '../../domain/restore-point.js';
import { clip, code, context, fitMessage, LIMITS, section } from './limits.js';
import { inlineCode } from './text.js';
import { timelineLine } from './timeline.js';

/** Output longer than this goes up as a file; the message keeps its tail. */
export const INLINE_OUTPUT = 2500;

/** A failed step's error longer than this (a failed `expect` quoting its output) goes up with the output. */
export const INLINE_ERROR = 1000;

/** What a non-shell action found, or a check's evidence, as one short value. */
const found = (label: string, value: unknown): KnownBlock =>
  context(`${label}: ${inlineCode(clip(JSON.stringify(value), 500))}`);

/** What a step that sets the incident's restore point found: a replication lag (the RPO) or a point in time. */
function restorePointLine(point: StepRestorePoint): string {
  return point.lagSeconds === undefined
    ? `⏱ Restore point: ${new Date(point.point).toISOString()} (RPO is counted from it)`
    : `⏱ Replication lag at this step: ${formatSeconds(Math.round(point.lagSeconds))}, the RPO of this recovery`;
}

/**
 * One timeline entry in the incident thread: the line, and for a finished step its output and
 * evidence. Whatever does not fit Slack's limits goes up whole as `longOutput`; the message is cut.
 */
export function timelineEntry(
  event: IncidentEvent,
  state: IncidentState,
): { text: string; blocks: KnownBlock[]; longOutput?: string } {
  const line = timelineLine(event, state);
  const text = clip(line, LIMITS.fallbackText);
  const blocks: KnownBlock[] = [section(state.mode === 'drill' ? `🧪 ${line}` : line)];
  if (event.type === 'StepFinished') {
    const output = [event.result.stdout, event.result.stderr]
      .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
      .join('\n');
    if (output) blocks.push(code(output, INLINE_OUTPUT));
    const { stdout: _stdout, stderr: _stderr, ...rest } = event.result;
    if (Object.keys(rest).length > 0) blocks.push(found('result', rest));
    const definition = state.runbook?.steps.find((s) => s.id === event.step);
    if (definition) blocks.push(context(`${inlineCode(definition.action)} · attempt ${event.attempt}`));
    if (event.restorePoint) blocks.push(context(restorePointLine(event.restorePoint)));
    const error = event.error ?? '';
    const long = [
      ...(error.length > INLINE_ERROR ? [`Error:\n${error}`] : []),
      ...(output.length > INLINE_OUTPUT ? [error.length > INLINE_ERROR ? `Output:\n${output}` : output] : []),
    ].join('\n\n');
    if (long) blocks.push(context('_The full output is attached below as a file._'));
    return { text, blocks: fitMessage(blocks), ...(long ? { longOutput: long } : {}) };
  }
  if (event.type === 'VerificationRecorded' && Object.keys(event.evidence.result).length > 0)
    blocks.push(found('evidence', event.evidence.result));
  return { text, blocks };
}
