import type { HomeView, KnownBlock } from '@slack/types';
import { formatSeconds } from '../../domain/duration.js';
import { currentStep, type IncidentState } from '../../domain/incident.js';
import type { DrillRecord } from '../../domain/readiness.js';
import { context, escape, header, home, packed, section } from './limits.js';
import { NO_RUNBOOKS, readinessHint, readinessLines, type RunbookSummary } from './readiness.js';

export type HomeInput = {
  readonly runbooks: readonly RunbookSummary[];
  readonly drills: readonly DrillRecord[];
  /** Open incidents and drills, in any order. */
  readonly open: readonly IncidentState[];
  readonly now: number;
  readonly command: string;
  /** Lines for runbooks lint refused (readiness.ts refusedLines). */
  readonly refused?: readonly string[];
};

/** Where an open incident stands, in the words of its card. */
function standing(state: IncidentState): string {
  if (state.status === 'triage') return 'choosing a runbook';
  if (state.status === 'params') return 'waiting for parameters';
  if (state.status === 'preflight')
    return state.preflight?.passed === false ? 'prerequisites failed' : 'checking prerequisites';
  const id = currentStep(state);
  const step = state.runbook?.steps.find((s) => s.id === id);
  if (!step || id === undefined)
    return state.restoredAt !== undefined ? 'service restored, not yet resolved' : state.status;
  const status = state.steps[id]?.status;
  const doing =
    status === 'requested'
      ? 'waiting for approval'
      : status === 'running'
        ? 'running'
        : status === 'failed' || status === 'interrupted'
          ? `${status}, waiting for a decision`
          : 'next';
  return `${doing}: ${escape(step.title)}`;
}

function incidentLine(state: IncidentState, now: number): string {
  const icon = state.mode === 'drill' ? '🧪 DRILL' : '🚨';
  const open = formatSeconds(Math.max(0, Math.round((now - state.declaredAt) / 1000)));
  return `${icon} *${state.id}* ${escape(state.summary)} · <#${state.channel}> · open ${open} · ${standing(state)}`;
}

/** The App Home tab: what is open now, and which runbooks are proven by a recent drill. */
export function homeView(input: HomeInput): HomeView {
  const open = [...input.open].sort(
    (a, b) => Number(a.mode === 'drill') - Number(b.mode === 'drill') || b.declaredAt - a.declaredAt,
  );
  const blocks: KnownBlock[] = [
    header('🛟 Lifeboat'),
    context(
      `Updated ${new Date(input.now).toISOString().slice(0, 16).replace('T', ' ')} UTC · \`${input.command} help\` lists the commands`,
    ),
    header('Open incidents and drills'),
    ...(open.length > 0
      ? packed(open.map((state) => incidentLine(state, input.now)))
      : [section(`Nothing is open. \`${input.command} declare &lt;summary&gt;\` starts an incident.`)]),
    { type: 'divider' },
    header('Runbook readiness'),
    ...(input.runbooks.length > 0 || (input.refused?.length ?? 0) > 0
      ? packed([...readinessLines(input.runbooks, input.drills, input.now), ...(input.refused ?? [])])
      : [section(NO_RUNBOOKS)]),
    context(readinessHint(input.command)),
  ];
  return home(blocks);
}
