import { maskSealed } from '../../domain/sealed.js';
import type { DrillClusters } from '../../domain/drill.js';
import type { Button, KnownBlock } from '@slack/types';
import { evidenceBoundTo, incidentScope } from '../../domain/binding.js';
import { durationSeconds, formatSeconds } from '../../domain/duration.js';
import { renderTemplate } from '../../domain/template.js';
import { currentStep, isClosed, type IncidentState } from '../../domain/incident.js';
import { isExpired, ruleOf } from '../../domain/gates.js';
import { approvalFor, DEFAULT_APPROVAL, isManual, manualWork, type Step } from '../../domain/runbook.js';
import type { ProbeVerdict } from '../../domain/probe.js';
import { suggestedOption } from '../../domain/tree.js';
import { ACTION, encodeValue } from './ids.js';
import {
  actions,
  button,
  clip,
  code,
  context,
  escape,
  fields,
  fitMessage,
  header,
  LIMITS,
  section,
} from './limits.js';
import { describeCall, STATUS_ICON, targetOf } from './step-view.js';
import { entities, inertValues, inlineCode, mention } from './text.js';

/** Instructions with what is known filled in (values inert, the runbook's mrkdwn kept); a name not yet known stays as written. */
function filled(state: IncidentState, text: string): string {
  const prose = entities(text);
  try {
    return maskSealed(renderTemplate(prose, inertValues(incidentScope(state, { workdir: '$WORKDIR' }))));
  } catch {
    return prose;
  }
}

export type CardOptions = {
  readonly now: number;
  readonly drillClusters?: DrillClusters;
  readonly progress?: string;
};

/** The one message per incident, updated in place: what is happening, the clocks, and what to press next. */
export function incidentCard(state: IncidentState, options: CardOptions): KnownBlock[] {
  const drill = state.mode === 'drill';
  const blocks: KnownBlock[] = [
    header(`${drill ? '🧪 DRILL' : '🚨 INCIDENT'}: ${state.summary}`),
    context(
      `${escape(state.id)} · declared by ${mention(state.declaredBy)} at ${new Date(state.declaredAt).toISOString().slice(0, 16).replace('T', ' ')} UTC · ${state.status}`,
    ),
    fields(clocks(state, options.now)),
  ];
  if (isClosed(state))
    return fitMessage([
      ...blocks,
      section(
        state.status === 'resolved'
          ? '✅ *Resolved.* `/dr timeline` gives the timeline for the postmortem.'
          : '🛑 *Aborted.*',
      ),
    ]);
  if (state.status === 'triage') blocks.push(...triage(state));
  else if (state.runbook) blocks.push(...runbookBlocks(state, options));
  return fitMessage(blocks);
}

function clocks(state: IncidentState, now: number): [string, string][] {
  const target = state.runbook?.targets;
  const elapsed = state.rtoSeconds ?? Math.round(((state.closedAt ?? now) - state.declaredAt) / 1000);
  const rtoTarget = target ? durationSeconds(target.rto) : undefined;
  const rto = `${formatSeconds(elapsed)}${rtoTarget ? ` of ${target?.rto}${elapsed > rtoTarget ? ' ⚠️ over target' : ''}` : ''}${state.rtoSeconds !== undefined ? ' ✅ restored' : ''}`;
  const rpo =
    state.rpoSeconds !== undefined
      ? `${formatSeconds(state.rpoSeconds)}${target ? ` (target ${target.rpo}${state.rpoSeconds > durationSeconds(target.rpo) ? ' ⚠️ over' : ''})` : ''}`
      : 'not known yet';
  return [
    [state.mode === 'drill' ? 'Drill clock (RTO)' : 'RTO clock', rto],
    ['RPO', rpo],
  ];
}

/** How the card says a probe's verdict: an icon and the word. */
const VERDICT_SHOWN: Record<ProbeVerdict, string> = {
  healthy: '✅ healthy',
  degraded: '⚠️ degraded',
  unhealthy: '❌ unhealthy',
  unknown: '❔ unknown',
};

function triage(state: IncidentState): KnownBlock[] {
  const node = state.node === undefined ? undefined : state.tree?.nodes[state.node];
  if (!node || state.node === undefined)
    return [section('No decision tree is loaded. Start a runbook with `/dr drill &lt;runbook-id&gt;`.')];
  const probe = state.probes[state.node];
  const suggested = suggestedOption(node, probe);
  const buttons: Button[] = node.options.map((option, o) =>
    button({
      text: option.label,
      actionId: `${ACTION.answer}.${o}`,
      value: encodeValue({ v: state.version, i: state.id, n: state.node, o }),
      ...(o === suggested ? { style: 'primary' as const } : {}),
    }),
  );
  if (state.path.length > 0)
    buttons.push(
      button({ text: 'Back', actionId: ACTION.back, value: encodeValue({ v: state.version, i: state.id }) }),
    );
  const blocks: KnownBlock[] = [
    section(`*${escape(node.question)}*${node.help ? `\n${escape(node.help)}` : ''}`),
  ];
  if (node.probe) {
    blocks.push(
      context(
        probe
          ? `🔎 ${VERDICT_SHOWN[probe.verdict]} ${inlineCode(node.probe.action)}${probe.why ? `: ${escape(probe.why)}` : ''}`
          : `🔎 checking ${inlineCode(node.probe.action)}…`,
      ),
    );
    const hint = suggested === undefined ? undefined : node.options[suggested];
    if (hint) blocks.push(context(`⭐ Suggested by the probe: *${escape(hint.label)}*`));
    else if (probe?.verdict === 'unknown')
      blocks.push(
        context('The probe could not tell, so nothing is suggested: answer from what you can see.'),
      );
  }
  return [...blocks, ...actions(buttons, 'triage')];
}

function runbookBlocks(state: IncidentState, options: CardOptions): KnownBlock[] {
  const runbook = state.runbook;
  if (!runbook) return [];
  const steps = runbook.steps.map(
    (s, i) =>
      `${STATUS_ICON[state.steps[s.id]?.status ?? 'pending']} ${i + 1}. ${escape(s.title)}${s.destructive ? ' ⚠️' : ''}`,
  );
  const blocks: KnownBlock[] = [
    section(stepList(`*${escape(runbook.title)}* (${inlineCode(runbook.id)})`, steps)),
  ];
  const abort = button({
    text: 'Abort',
    actionId: ACTION.abort,
    value: encodeValue({ v: state.version, i: state.id }),
    style: 'danger',
    confirm: { title: 'Abort the incident?', text: 'No further steps will run.', yes: 'Abort' },
  });
  if (state.status === 'params' || state.status === 'preflight')
    return [...blocks, ...preflight(state, abort)];
  const id = currentStep(state);
  const step = runbook.steps.find((s) => s.id === id);
  if (!step || id === undefined) {
    return [
      ...blocks,
      section('All steps are done. When the service is confirmed healthy, resolve the incident.'),
      ...actions([
        button({
          text: 'Resolve',
          actionId: ACTION.resolve,
          value: encodeValue({ v: state.version, i: state.id }),
          style: 'primary',
        }),
      ]),
    ];
  }
  const current = state.steps[id];
  const target = targetOf(state, step, options.drillClusters);
  blocks.push(
    section(
      `*Next: ${escape(step.title)}*${target ? ` on ${inlineCode(target)}` : ''}${step.description ? `\n${escape(step.description)}` : ''}`,
    ),
    code(describeCall(state, step), 1500),
    ...evidenceBehind(state, step),
  );
  const value = (gate: 'run' | 'skip' | 'rollback') =>
    encodeValue({ v: state.version, i: state.id, s: id, g: gate });
  const requested = current?.gate;
  // A request nobody approved in time holds nothing: the card says so and offers Run again.
  const expired = requested && isExpired(state, id, requested, options.now) ? requested : undefined;
  const gate = expired ? undefined : requested;
  const buttons: Button[] = [];
  if (expired)
    blocks.push(
      context(
        `⌛ The request by ${mention(expired.requestedBy)} to *${expired.kind}* this step expired after ${escape(ruleOf(state, id, expired.kind).expiresIn)}; ask again.`,
      ),
    );
  if (gate) {
    const rule = ruleOf(state, id, gate.kind);
    blocks.push(
      section(
        `⏳ ${mention(gate.requestedBy)} asked to *${gate.kind}* this step. Approvals: ${gate.approvals.length} of ${rule.count} from ${escape(rule.from.join(', '))}${gate.approvals.length ? ` (${gate.approvals.map((a) => mention(a.by)).join(', ')})` : ''}.`,
      ),
    );
    const approveValue = encodeValue({ v: state.version, i: state.id, s: id, g: gate.kind, b: gate.binding });
    buttons.push(
      button({
        text: 'Approve',
        actionId: ACTION.approve,
        value: approveValue,
        style: 'primary',
        confirm: {
          title: `Approve: ${gate.kind}?`,
          text: `You approve that Lifeboat will ${gate.kind} "${escape(step.title)}" exactly as shown.`,
          yes: 'Approve',
        },
      }),
      button({
        text: 'Deny',
        actionId: ACTION.deny,
        value: approveValue,
        style: 'danger',
        confirm: {
          title: 'Deny?',
          text: 'The request is cancelled; the requester may ask again.',
          yes: 'Deny',
        },
      }),
    );
  } else if (current?.status === 'running' && isManual(step)) {
    const work = manualWork(step);
    const checklist = (work?.checklist ?? []).map((item) => `☐ ${filled(state, item)}`).join('\n');
    blocks.push(
      section(
        `🙋 *Do this by hand, then press Done:*\n${filled(state, work?.instructions ?? '')}${checklist ? `\n${checklist}` : ''}`,
      ),
    );
    buttons.push(
      button({
        text: 'Done',
        actionId: ACTION.confirm,
        value: encodeValue({ v: state.version, i: state.id, s: id, a: current.attempt }),
        style: 'primary',
        confirm: { title: 'Done?', text: 'Every item is done and checked.', yes: 'Done' },
      }),
    );
  } else if (current?.status === 'running' || current?.status === 'rolling-back') {
    blocks.push(
      context(
        `🔄 ${current.status === 'running' ? 'Running' : 'Rolling back'} since ${new Date(current.startedAt ?? options.now).toISOString().slice(11, 19)} UTC…`,
      ),
    );
    if (options.progress?.startsWith(`${id}: `))
      blocks.push(code(options.progress.slice(id.length + 2), 300));
  } else if (current?.status === 'failed' || current?.status === 'interrupted') {
    blocks.push(
      section(
        `${STATUS_ICON[current.status]} *${current.status === 'failed' ? 'Failed' : 'Interrupted'}*: ${escape(current.error ?? 'see the thread')}`,
      ),
    );
    buttons.push(
      button({ text: 'Retry', actionId: `${ACTION.request}.run`, value: value('run'), style: 'primary' }),
      button({ text: 'Skip', actionId: `${ACTION.request}.skip`, value: value('skip') }),
    );
    if (step.rollback)
      buttons.push(
        button({ text: 'Rollback', actionId: `${ACTION.request}.rollback`, value: value('rollback') }),
      );
  } else {
    const gated = approvalFor(step) !== undefined;
    if (gated)
      blocks.push(
        context(
          `⚠️ Destructive: needs ${(approvalFor(step) ?? DEFAULT_APPROVAL).count} approval from someone other than the person who presses Run.`,
        ),
      );
    buttons.push(
      button({ text: 'Run', actionId: `${ACTION.request}.run`, value: value('run'), style: 'primary' }),
      button({ text: 'Skip', actionId: `${ACTION.request}.skip`, value: value('skip') }),
    );
  }
  return [...blocks, ...actions([...buttons, abort], 'step')];
}

/** Room kept in the steps section for the "and N more steps" line. */
const MORE_LINE = 40;

/** The runbook's steps in one section; those that do not fit are counted, never dropped unsaid. */
export function stepList(title: string, steps: readonly string[], max: number = LIMITS.sectionText): string {
  const lines = steps.map((line) => clip(line, 200));
  let text = title;
  for (const [i, line] of lines.entries()) {
    const next = `${text}\n${line}`;
    if (next.length > (i === lines.length - 1 ? max : max - MORE_LINE))
      return `${text}\n_…and ${lines.length - i} more steps_`;
    text = next;
  }
  return text;
}

/**
 * What an approver approves along with a step that can hurt: the readable result of each check its
 * inputs are bound to (a Velero restore plan, say), so the plan is on the card, not only its digest.
 */
function evidenceBehind(state: IncidentState, step: Step): KnownBlock[] {
  if (approvalFor(step) === undefined) return [];
  return evidenceBoundTo(state, step).flatMap(({ check, shown }) => [
    context(`What you approve with it (check ${inlineCode(check)}):`),
    code(maskSealed(shown), 1500),
  ]);
}

function preflight(state: IncidentState, abort: Button): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const setParams = button({
    text: 'Set parameters',
    actionId: ACTION.params,
    value: encodeValue({ v: state.version, i: state.id }),
    style: 'primary',
  });
  if (state.status === 'params')
    return [section('Fill in the parameters to start.'), ...actions([setParams, abort], 'params')];
  if (!state.preflight) return [context('🔎 Checking prerequisites…'), ...actions([abort], 'params')];
  const failed = state.preflight.failed.map((line) => `\n• ${escape(line)}`).join('');
  blocks.push(
    section(
      `❌ *Prerequisites failed.* Fix the cause and set the parameters again, or ask an approver to override.${failed}`,
    ),
  );
  const gate = state.preflight.gate;
  if (gate) {
    const v = encodeValue({ v: state.version, i: state.id, s: '#preflight', g: 'override', b: gate.binding });
    blocks.push(section(`⏳ ${mention(gate.requestedBy)} asked to override the failed prerequisites.`));
    return [
      ...blocks,
      ...actions(
        [
          button({ text: 'Approve', actionId: ACTION.approve, value: v, style: 'primary' }),
          button({ text: 'Deny', actionId: ACTION.deny, value: v, style: 'danger' }),
          abort,
        ],
        'params',
      ),
    ];
  }
  const override = button({
    text: 'Override',
    actionId: `${ACTION.request}.override`,
    value: encodeValue({ v: state.version, i: state.id, s: '#preflight', g: 'override' }),
    style: 'danger',
  });
  return [...blocks, ...actions([setParams, override, abort], 'params')];
}
