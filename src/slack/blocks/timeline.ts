import { isSealed, maskSealed, MASKED } from '../../domain/sealed.js';
import { evidenceBoundTo } from '../../domain/binding.js';
import { approvalFor } from '../../domain/runbook.js';
import { formatSeconds } from '../../domain/duration.js';
import type { IncidentEvent } from '../../domain/events.js';
import { LIFEBOAT } from '../../domain/events.js';
import type { IncidentState } from '../../domain/incident.js';
import { legacyReading, type ProbeReading } from '../../domain/probe.js';
import { BACKTICK_LOOKALIKE, inert, inlineCode, mention } from './text.js';

const GATE_WORDS = {
  run: 'running',
  skip: 'skipping',
  rollback: 'rolling back',
  override: 'overriding the failed prerequisites of',
} as const;

export const clock = (at: number): string => new Date(at).toISOString().slice(11, 19);

/** How a line shows text, a value and a person: Slack mrkdwn for the thread, Markdown for the postmortem file. */
export type LineStyle = {
  readonly text: (text: string) => string;
  readonly code: (value: string) => string;
  readonly who: (user: string) => string;
};

export const MRKDWN: LineStyle = {
  text: inert,
  code: inlineCode,
  who: (by) => (by === LIFEBOAT ? 'Lifeboat' : mention(by)),
};

/** Markdown is not parsed by Slack (it goes up as a file): text as typed, values still unable to end their span. */
export const MARKDOWN: LineStyle = {
  text: (text) => text,
  code: (value) => `\`${value.replace(/\r?\n/g, ' ').replaceAll('`', BACKTICK_LOOKALIKE)}\``,
  who: (by) => (by === LIFEBOAT ? 'Lifeboat' : `@${by}`),
};

/** "Probe etcd.endpoint-health: degraded (m2 …)": the verdict first, then why. */
function probeLine(title: string, reading: ProbeReading, t: (text: string) => string): string {
  return `Probe ${title}: ${reading.verdict}${reading.why ? ` (${t(reading.why)})` : ''}`;
}

/** One line of the incident timeline, in words a postmortem can quote. */
export function timelineLine(event: IncidentEvent, state?: IncidentState, style: LineStyle = MRKDWN): string {
  const { text: t, code: val, who } = style;
  const step = (id: string): string => `*${t(state?.runbook?.steps.find((s) => s.id === id)?.title ?? id)}*`;
  const text = ((): string => {
    switch (event.type) {
      case 'IncidentDeclared':
        return `${who(event.by)} declared ${event.mode === 'drill' ? 'a DRILL' : 'an incident'}: ${t(event.summary)}`;
      case 'DecisionAnswered':
        return `${who(event.by)} answered: ${t(event.label)}`;
      case 'DecisionReverted':
        return `${who(event.by)} went back a question`;
      case 'ProbeRecorded':
        return probeLine(
          t(event.evidence.title),
          event.reading ?? legacyReading(event.evidence.passed, event.evidence.failures),
          t,
        );
      case 'RunbookSelected':
        return `Runbook chosen: *${t(event.runbook.title)}* (${val(event.runbook.id)}, targets RTO ${t(event.runbook.targets.rto)}, RPO ${t(event.runbook.targets.rpo)})`;
      case 'ParamsSet':
        return `${who(event.by)} set parameters: ${
          Object.entries(event.params)
            .map(([k, v]) => `${t(k)}=${val(isSealed(v) ? MASKED : String(v))}`)
            .join(', ') || 'none'
        }`;
      case 'PrerequisitesChecked':
        return `Prerequisites ${event.passed ? 'passed' : 'FAILED'}: ${event.checks.map((c) => `${c.passed ? '✅' : '❌'} ${t(c.title)}`).join(', ') || 'none'}`;
      case 'StepRequested':
        return `${who(event.by)} asked for ${GATE_WORDS[event.gate]} ${step(event.step)}`;
      case 'ApprovalGranted':
        return `${who(event.by)} approved ${GATE_WORDS[event.gate]} ${step(event.step)}`;
      case 'ApprovalDenied':
        return `${who(event.by)} denied ${GATE_WORDS[event.gate]} ${step(event.step)}: ${t(event.reason)}`;
      case 'ApprovalsVoided':
        return `Approvals for ${step(event.step)} voided: ${t(event.reason)}`;
      case 'StepStarted':
        return `${step(event.step)} started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
      case 'ManualConfirmed':
        return `${who(event.by)} confirmed ${step(event.step)} done${event.note ? `: ${t(event.note)}` : ''}`;
      case 'StepFinished':
        return `${step(event.step)} ${event.passed ? '✅ passed' : `❌ failed${event.error ? `: ${t(event.error)}` : ''}`} in ${formatSeconds(event.durationMs / 1000)}`;
      case 'VerificationRecorded':
        return `${event.evidence.passed ? '✅' : '❌'} Verify ${t(event.evidence.title)}${event.evidence.failures.length > 0 ? `: ${t(event.evidence.failures.join('; '))}` : ''}`;
      case 'StepInterrupted':
        return `⚠️ ${step(event.step)} attempt ${event.attempt} interrupted: ${t(event.reason)}`;
      case 'StepSkipped':
        return `${step(event.step)} skipped`;
      case 'RollbackStarted':
        return `Rollback of ${step(event.step)} started`;
      case 'RollbackFinished':
        return `Rollback of ${step(event.step)} ${event.passed ? 'done' : `failed${event.error ? `: ${t(event.error)}` : ''}`}`;
      case 'ServiceRestored':
        return `🎉 Service restored: RTO ${formatSeconds(event.rtoSeconds)}${event.rpoSeconds !== undefined ? `, RPO ${formatSeconds(event.rpoSeconds)}` : ''}`;
      case 'NoteAdded':
        return `${who(event.by)} noted: ${t(event.text)}`;
      case 'AccessRefused':
        return `Refused ${who(event.by)} (${t(event.action)}): ${t(event.reason)}`;
      case 'IncidentResolved':
        return `${who(event.by)} resolved the incident`;
      case 'IncidentAborted':
        return `${who(event.by)} aborted the incident: ${t(event.reason)}`;
    }
  })();
  return `${val(clock(event.at))} ${text}`;
}

/** The whole timeline as Markdown, ready to paste into a postmortem. */
export function timelineMarkdown(state: IncidentState, events: readonly IncidentEvent[]): string {
  const title = `# ${state.mode === 'drill' ? 'DRILL ' : ''}${state.id}: ${state.summary}`;
  const facts = [
    `- Declared ${new Date(state.declaredAt).toISOString()} by ${state.declaredBy}`,
    ...(state.runbook ? [`- Runbook: ${state.runbook.title} (${MARKDOWN.code(state.runbook.id)})`] : []),
    ...(state.rtoSeconds !== undefined && state.runbook
      ? [`- RTO: ${formatSeconds(state.rtoSeconds)} (target ${state.runbook.targets.rto})`]
      : []),
    ...(state.rpoSeconds !== undefined && state.runbook
      ? [`- RPO: ${formatSeconds(state.rpoSeconds)} (target ${state.runbook.targets.rpo})`]
      : []),
    `- Status: ${state.status}`,
  ];
  const lines = events.map((event) => `- ${timelineLine(event, state, MARKDOWN)}`);
  return [title, '', ...facts, '', '## Timeline (UTC)', '', ...lines, '', ...approvedEvidence(state)].join(
    '\n',
  );
}

/** Each destructive step's bound evidence (the Velero restore plan, …) as the approvers saw it. */
function approvedEvidence(state: IncidentState): string[] {
  const bound = (state.runbook?.steps ?? []).flatMap((step) =>
    approvalFor(step) === undefined ? [] : evidenceBoundTo(state, step).map((e) => ({ step: step.id, ...e })),
  );
  if (bound.length === 0) return [];
  return [
    '## What the approvals were bound to',
    '',
    ...bound.flatMap(({ step, check, shown, digest }) => [
      `### Step ${MARKDOWN.code(step)}: check ${MARKDOWN.code(check)}${digest ? ` (digest ${MARKDOWN.code(digest)})` : ''}`,
      '',
      '~~~',
      maskSealed(shown).replaceAll('~~~', '---'),
      '~~~',
      '',
    ]),
  ];
}
