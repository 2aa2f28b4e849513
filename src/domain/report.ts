import { durationSeconds, formatSeconds } from './duration.js';
import type { IncidentEvent } from './events.js';
import type { IncidentState } from './incident.js';

export type StepLine = {
  readonly id: string;
  readonly title: string;
  readonly outcome: string;
  readonly attempts: number;
  readonly seconds?: number;
};
export type VerificationLine = {
  readonly step: string;
  readonly title: string;
  readonly passed: boolean;
  readonly evidence: string;
};

/** What a drill (or an incident) proved: the clocks against their targets, each step, each check, and what to fix. */
export type DrillReport = {
  readonly id: string;
  readonly runbook: string;
  readonly mode: IncidentState['mode'];
  readonly passed: boolean;
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly rtoSeconds?: number;
  readonly rtoTarget: number;
  readonly rpoSeconds?: number;
  readonly rpoTarget: number;
  /** Where RPO was measured, when a step measured it: e.g. the replication lag at the fence. */
  readonly rpoFrom?: string;
  readonly steps: readonly StepLine[];
  readonly verifications: readonly VerificationLine[];
  readonly fixes: readonly string[];
};

/** Pure: built from the incident's events, so the report's numbers are the timeline's numbers. */
export function drillReport(state: IncidentState, events: readonly IncidentEvent[]): DrillReport | undefined {
  const runbook = state.runbook;
  if (!runbook) return undefined;
  const rtoTarget = durationSeconds(runbook.targets.rto);
  const rpoTarget = durationSeconds(runbook.targets.rpo);
  const steps: StepLine[] = runbook.steps.map((step) => {
    const finished = events.filter(
      (e): e is Extract<IncidentEvent, { type: 'StepFinished' }> =>
        e.type === 'StepFinished' && e.step === step.id,
    );
    const last = finished.at(-1);
    const current = state.steps[step.id];
    return {
      id: step.id,
      title: step.title,
      outcome: current?.status ?? 'pending',
      attempts: current?.attempt ?? 0,
      ...(last ? { seconds: last.durationMs / 1000 } : {}),
    };
  });
  const verifications: VerificationLine[] = events.flatMap((e) =>
    e.type === 'VerificationRecorded'
      ? [
          {
            step: e.step,
            title: e.evidence.title,
            passed: e.evidence.passed,
            evidence: e.evidence.failures.join('; ') || JSON.stringify(e.evidence.result).slice(0, 200),
          },
        ]
      : [],
  );
  const fixes: string[] = [];
  if (state.rtoSeconds === undefined)
    fixes.push('The service was never restored: find the step that stopped the run below.');
  else if (state.rtoSeconds > rtoTarget)
    fixes.push(
      `RTO ${formatSeconds(state.rtoSeconds)} is over the ${runbook.targets.rto} target: shorten the slowest steps or raise the target honestly.`,
    );
  const from = state.restorePointFrom;
  const fromStep = from && runbook.steps.find((s) => s.id === from.step);
  const rpoFrom =
    fromStep &&
    (from.lagSeconds !== undefined ? `replication lag at "${fromStep.title}"` : `"${fromStep.title}"`);
  if (state.rpoSeconds !== undefined && state.rpoSeconds > rpoTarget)
    fixes.push(
      from?.lagSeconds !== undefined
        ? `RPO ${formatSeconds(state.rpoSeconds)} (the replication lag at the fence) is over the ${runbook.targets.rpo} target: alert on replication lag well before it reaches the target.`
        : `RPO ${formatSeconds(state.rpoSeconds)} is over the ${runbook.targets.rpo} target: back up more often, or alert sooner when backups go stale.`,
    );
  for (const step of steps) {
    if (step.outcome === 'failed' || step.outcome === 'interrupted')
      fixes.push(`Step "${step.title}" ${step.outcome}.`);
    if (step.outcome === 'skipped')
      fixes.push(`Step "${step.title}" was skipped: a drill that skips a step has not proved it.`);
    if (step.attempts > 1) fixes.push(`Step "${step.title}" needed ${step.attempts} attempts.`);
  }
  for (const check of verifications.filter((v) => !v.passed))
    fixes.push(`Verification "${check.title}" failed: ${check.evidence}`);
  if (state.preflight?.overriddenBy)
    fixes.push('The prerequisites failed and were overridden: fix them before the next drill.');
  if (state.status === 'aborted') fixes.push('The drill was aborted.');
  return {
    id: state.id,
    runbook: runbook.id,
    mode: state.mode,
    passed: fixes.length === 0 && state.status === 'resolved',
    startedAt: state.declaredAt,
    ...(state.closedAt !== undefined ? { endedAt: state.closedAt } : {}),
    ...(state.rtoSeconds !== undefined ? { rtoSeconds: state.rtoSeconds } : {}),
    rtoTarget,
    ...(state.rpoSeconds !== undefined ? { rpoSeconds: state.rpoSeconds } : {}),
    rpoTarget,
    ...(rpoFrom ? { rpoFrom } : {}),
    steps,
    verifications,
    fixes,
  };
}

const clockOf = (seconds: number | undefined, target: number): string =>
  seconds === undefined
    ? 'not measured'
    : `${formatSeconds(seconds)} (target ${formatSeconds(target)}) ${seconds <= target ? '✅' : '❌'}`;

export function reportMarkdown(report: DrillReport, title: string): string {
  const when = (at: number | undefined) =>
    at === undefined ? 'open' : new Date(at).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  return [
    `# ${report.mode === 'drill' ? 'Drill report' : 'Incident report'}: ${title}`,
    '',
    `**${report.passed ? '✅ PASSED' : '❌ FAILED'}** · \`${report.id}\` · runbook \`${report.runbook}\` · ${when(report.startedAt)} → ${when(report.endedAt)}`,
    '',
    `- RTO: ${clockOf(report.rtoSeconds, report.rtoTarget)}`,
    `- RPO: ${clockOf(report.rpoSeconds, report.rpoTarget)}${report.rpoFrom ? `, from the ${report.rpoFrom}` : ''}`,
    '',
    '## Steps',
    '',
    '| step | outcome | attempts | duration |',
    '|---|---|---|---|',
    ...report.steps.map(
      (s) =>
        `| ${s.title.replaceAll('|', '\\|')} | ${s.outcome} | ${s.attempts} | ${s.seconds === undefined ? '' : formatSeconds(s.seconds)} |`,
    ),
    '',
    '## Verifications',
    '',
    ...(report.verifications.length > 0
      ? report.verifications.map((v) => `- ${v.passed ? '✅' : '❌'} ${v.title}: ${v.evidence}`)
      : ['- none recorded']),
    '',
    '## What to fix',
    '',
    ...(report.fixes.length > 0
      ? report.fixes.map((f) => `- ${f}`)
      : ['- Nothing: the runbook met its targets.']),
    '',
  ].join('\n');
}
