import { specFor } from '../actions/catalog.js';
import { approvalFor } from '../domain/runbook.js';
import type { Check, ParamSpec, Runbook, Step } from '../domain/runbook.js';
import type { DecisionTree } from '../domain/tree.js';
import type { StepRestorePointKind } from '../domain/restore-point.js';
import { callBlocks, cell, code, table } from './export-blocks.js';
import { markdownText as text, treeSection } from './export-mermaid.js';

export { shellQuote } from './export-blocks.js';

const BLANK = '______________';
const PLACEHOLDERS = 'Replace each `{{ … }}` with the value it names; `{{ workdir }}` is a scratch folder.';
const RESTORES = '⏱ **This step restores service: RTO stops when it passes.** Write the time above.';
const UNDO = '(if the step or its verification fails; same approval rule)';
const HOW = 'do the steps in order and tick each one off.';
const WHAT =
  'The disaster recovery runbooks, for when the cluster, the wiki and Slack are all down. ' +
  'Each page is a runbook the Lifeboat bot runs, written out so people can run it by hand.';

function paramRule(spec: ParamSpec): string {
  // By hand, the bot's select becomes the action to look the choices up with.
  const listed =
    'choicesFrom' in spec && spec.choicesFrom ? `; choose from ${code(spec.choicesFrom.action)}` : '';
  if (spec.type === 'string') return `pattern ${code(spec.pattern)}${listed}`;
  if (spec.type === 'k8sName') return `Kubernetes name: a-z, 0-9, -${listed}`;
  if (spec.type === 'enum') return `one of ${spec.values.map(code).join(', ')}`;
  if (spec.type === 'int') return `${spec.min ?? '−∞'}..${spec.max ?? '∞'}`;
  return { duration: 'e.g. 15m, 4h', url: 'URL' }[spec.type];
}

function paramsSection(params: Runbook['params'] = {}): string[] {
  const rows = Object.entries(params).map(([name, spec]) => {
    const fallback = spec.default === undefined ? '' : `, default ${code(String(spec.default))}`;
    const prompt = text(spec.help ? `${spec.prompt} (${spec.help})` : spec.prompt);
    const cells = [
      paramRule(spec),
      prompt,
      `${spec.optional ? 'optional' : 'required'}${spec.secret ? ', secret (never shown)' : ''}${fallback}`,
    ];
    return `| ${code(name)} | ${spec.type} | ${cells.map(cell).join(' | ')} | |`;
  });
  if (rows.length === 0) return [];
  const head = '| Name | Type | Rule | Prompt | Optional / default | Value |';
  return ['## Parameters', 'Write each value down; `{{ params.NAME }}` stands for it.', table(head, rows)];
}

function checkSection(check: Check): string[] {
  const point = `⏱ **Restore point: RPO is measured from this check.** Its result.time: ${BLANK}`;
  const heading = `### Check ${code(check.id)}: ${text(check.title)}`;
  return [heading, '- [ ] Check passed', ...(check.restorePoint ? [point] : []), ...callBlocks(check)];
}

function prerequisitesSection({ tools = [], checks = [] }: Runbook['prerequisites'] = {}): string[] {
  const onPath = tools.length > 0 ? [`Tools that must be on PATH: ${tools.map(code).join(', ')}`] : [];
  const none = tools.length + checks.length === 0 ? ['None.'] : [];
  return ['## Prerequisites', ...onPath, ...checks.flatMap(checkSection), ...none];
}

/** Who must approve a step, in the words the bot's approval prompt uses. */
export function approvalText(step: Step): string {
  const rule = approvalFor(step);
  if (!rule || rule.count === 0) return 'none';
  const who = rule.allowRequester ? 'the requester may approve too' : 'not the person who requested it';
  const count = `${rule.count} approval${rule.count === 1 ? '' : 's'}`;
  return `Needs ${count} from ${rule.from.join(' or ')}, ${who}; an approval expires after ${rule.expiresIn}`;
}

function idempotence(step: Step): string {
  if (step.idempotent) return 'yes, safe to run again';
  return specFor(step)?.readOnly ? 'not marked; read-only action' : 'no: check the state first';
}

/** What a person writes down at a step that sets the restore point (it overrides any check's). */
const STEP_POINT: Readonly<Record<StepRestorePointKind, string>> = {
  time: `⏱ **Restore point: RPO is measured from this step.** Its result.time: ${BLANK}`,
  lag: `⏱ **Restore point: the replication lag this step reads is the RPO.** Lag (seconds): ${BLANK}`,
};

function stepSection(step: Step, i: number): string[] {
  const marks = `${step.destructive ? ' ⚠️ destructive' : ''}${step.restoresService ? ' ⏱ restores service' : ''}`;
  const out = [`### Step ${i + 1}: ${text(step.title)}${marks}`];
  out.push(`- [ ] Step ${i + 1} (${code(step.id)}) done at (time): ${BLANK} by: ${BLANK}`);
  if (step.restoresService) out.push(RESTORES);
  if (step.restorePoint) out.push(STEP_POINT[step.restorePoint]);
  if (step.description) out.push(step.description);
  const facts = [`- **Approval:** ${approvalText(step)}`, `- **Timeout:** ${step.timeout ?? 'none set'}`];
  out.push([...facts, `- **Idempotent:** ${idempotence(step)}`].join('\n'), ...callBlocks(step));
  step.verify?.forEach((v, j) => out.push(`**Verify ${j + 1}:** ${text(v.title)}`, ...callBlocks(v)));
  const { rollback } = step;
  const undoTitle = rollback?.title ? `: ${text(rollback.title)}` : '';
  if (rollback) out.push(`**Rollback${undoTitle}** ${UNDO}`, ...callBlocks(rollback));
  return out;
}

function communicationSection({ communication = [] }: Runbook): string[] {
  const rows = communication.map((c) => `| ${c.on} | ${cell(c.channel)} | ${cell(c.message)} |`);
  return rows.length > 0 ? ['## Communication plan', table('| When | Channel | Message |', rows)] : [];
}

function dependenciesSection({ dependsOn = [] }: Runbook): string[] {
  const probes = dependsOn.flatMap((d) => [`### ${text(d.name)}`, ...callBlocks(d.probe)]);
  return probes.length > 0 ? ['## External dependencies', 'Services no backup holds:', ...probes] : [];
}

const page = (parts: readonly string[]): string => `${parts.filter((part) => part !== '').join('\n\n')}\n`;

/** The printable page of one runbook: everything a person needs to run it by hand. */
export function runbookMarkdown(runbook: Runbook): string {
  const { id, title, scenario, owner, description = '', targets } = runbook;
  const facts = [
    `- **Scenario:** ${text(scenario)}`,
    `- **RTO target:** ${targets.rto} (service back within this; the clock stops at the step marked ⏱ restores service)`,
    `- **RPO target:** ${targets.rpo} (the most data that may be lost, counted from the ⏱ restore point)`,
    ...(owner ? [`- **Owner:** ${text(owner)}`] : []),
    `- **Incident declared at (time):** ${BLANK}`,
  ];
  const head = [`# ${text(title)}`, `Runbook ${code(id)}: ${HOW}`, facts.join('\n'), description];
  const before = [...paramsSection(runbook.params), ...prerequisitesSection(runbook.prerequisites)];
  const after = [...communicationSection(runbook), ...dependenciesSection(runbook)];
  const steps = ['## Steps', ...runbook.steps.flatMap(stepSection)];
  return page([...head, PLACEHOLDERS, ...before, ...steps, ...after]);
}

export type BinderInfo = {
  generatedAt: Date;
  source: string;
  runbooks: readonly Runbook[];
  trees: readonly DecisionTree[];
};

/** README.md of the binder: what it is, the runbooks, and each decision tree. */
export function binderIndex({ generatedAt, source, runbooks, trees }: BinderInfo): string {
  const titles = new Map(runbooks.map((r) => [r.id, r.title]));
  const row = ({ id, title, scenario, targets }: Runbook): string =>
    `| ${cell(text(title))} | ${cell(text(scenario))} | ${targets.rto} | ${targets.rpo} | [${id}.md](${id}.md) |`;
  const index = table('| Runbook | Scenario | RTO | RPO | File |', runbooks.map(row));
  const when = `Generated ${generatedAt.toISOString()} from ${code(source)}: an older printout may not match git.`;
  const drawn = trees.map((tree) => treeSection(tree, titles));
  return page(['# Lifeboat runbook binder', WHAT, when, '## Runbooks', index, ...drawn]);
}
