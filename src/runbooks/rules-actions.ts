import { actionSpec, ACTION_NAMES, CALL_NAMES, specFor } from '../actions/catalog.js';
import { closest, type PathFinding, type YamlPath } from './finding.js';
import { isManual, type ActionCall, type Step } from '../domain/runbook.js';
import { hasTemplate } from '../domain/template.js';
import { scriptFindings } from './rules-templates.js';
import type { Expect } from '../domain/expect.js';

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash']);
/** Actions that shell out to a program the runbook should list under prerequisites.tools. */
const TOOLS_OF: Readonly<Record<string, string>> = { etcd: 'etcdctl' };

/** Where an action is used decides what it may do: probes and checks run with nobody pressing a button. */
export type ActionUse = 'probe' | 'check' | 'verify' | 'step' | 'rollback' | 'choices';

export type ActionSite = {
  file: string;
  path: YamlPath;
  call: ActionCall & { expect?: Expect; readOnly?: boolean };
  use: ActionUse;
};

/**
 * Actions that change nothing outside Lifeboat's own workdir, its bucket or Slack, and manual steps
 * (a person does them): the only ones that are not read-only yet run without `destructive: true`.
 */
const LOCAL_EFFECTS = new Set([
  'notify',
  's3.download',
  's3.upload',
  'etcd.snapshot-save',
  'etcd.snapshot-restore',
]);

/** Whether running this call can change a cluster or anything else outside Lifeboat. */
export function changesThings(call: ActionCall & { readonly readOnly?: boolean }): boolean {
  const spec = actionSpec(call.action);
  if (isManual(call) || !spec || spec.readOnly || LOCAL_EFFECTS.has(call.action)) return false;
  return !(call.action === 'shell' && call.readOnly === true);
}

/** A step or rollback that changes things must say so, so that it is held for two people. */
export function changeFindings(step: Step): { where: YamlPath; message: string; hint: string }[] {
  const findings: { where: YamlPath; message: string; hint: string }[] = [];
  if (!step.destructive && changesThings(step))
    findings.push({
      where: ['action'],
      message: `"${step.action}" can change the cluster, but step "${step.id}" is not destructive: one person could run it`,
      hint:
        step.action === 'shell'
          ? 'add destructive: true, or readOnly: true if the command only reads'
          : 'add destructive: true so it needs an approval from a second person',
    });
  if (step.rollback && !step.destructive && !step.rollback.destructive && changesThings(step.rollback))
    findings.push({
      where: ['rollback', 'action'],
      message: `the rollback "${step.rollback.action}" can change the cluster, but neither it nor its step is destructive`,
      hint: 'add destructive: true under rollback: so it needs a second person',
    });
  return findings;
}

export function actionFindings(
  { file, path, call, use }: ActionSite,
  tools: readonly string[] | undefined,
): PathFinding[] {
  const findings: PathFinding[] = [];
  const error = (where: YamlPath, message: string, hint: string, atKey = false): void => {
    findings.push({ file, path: [...path, ...where], severity: 'error', message, hint, atKey });
  };
  const spec = specFor(call);
  if (!spec) {
    const guess = closest(call.action, CALL_NAMES);
    error(
      ['action'],
      `unknown action "${call.action}"`,
      guess ? `did you mean "${guess}"?` : `known actions: ${CALL_NAMES.join(', ')}`,
    );
    return findings;
  }
  if (use === 'choices' && !('choices' in spec.result)) {
    const listers = ACTION_NAMES.filter((name) => 'choices' in (actionSpec(name)?.result ?? {}));
    error(
      ['action'],
      `"${call.action}" lists no choices`,
      `choicesFrom needs an action whose result has choices: ${listers.join(', ')}`,
    );
    return findings;
  }
  if (call.action === 'shell' && (use === 'check' || use === 'verify') && call.readOnly !== true) {
    error(
      ['action'],
      `a shell command in a ${use} runs with nobody pressing a button`,
      'add readOnly: true if the command only reads (the binder shows it), or make it a step',
    );
  }
  if (
    !spec.readOnly &&
    call.action !== 'shell' &&
    (use === 'probe' || use === 'check' || use === 'verify' || use === 'choices')
  ) {
    error(
      ['action'],
      `"${call.action}" changes things, but a ${use} runs without approval`,
      'make it a step (with destructive: true if it can hurt) instead',
    );
  }
  if (call.action === 'shell' && use === 'probe') {
    error(
      ['action'],
      'a decision-tree probe cannot run a shell command',
      'use a read-only action such as k8s.apiserver-ready or http.probe',
    );
  }
  const inputs = call.with ?? {};
  for (const [name, input] of Object.entries(spec.inputs)) {
    if (input.required && !(name in inputs))
      error(['with'], `"${call.action}" needs with.${name} (${input.doc})`, `add ${name}: … under with:`);
  }
  for (const name of Object.keys(inputs)) {
    if (!(name in spec.inputs)) {
      const guess = closest(name, Object.keys(spec.inputs));
      error(
        ['with', name],
        `"${call.action}" has no input "${name}"`,
        guess ? `did you mean "${guess}"?` : `inputs: ${Object.keys(spec.inputs).join(', ')}`,
        true,
      );
    }
  }
  for (const field of Object.keys(call.expect ?? {})) {
    // A dotted field (metadata.cluster) reaches into an object the action returns.
    if (!((field.split('.')[0] ?? '') in spec.result)) {
      const guess = closest(field, Object.keys(spec.result));
      error(
        ['expect', field],
        `"${call.action}" gives no result field "${field}"`,
        guess ? `did you mean "${guess}"?` : `fields: ${Object.keys(spec.result).join(', ')}`,
        true,
      );
    }
  }
  if (call.action === 'shell') findings.push(...shellFindings(file, path, inputs.command, tools));
  const tool = TOOLS_OF[call.action.split('.')[0] ?? ''];
  if (tool && tools && !tools.includes(tool)) {
    findings.push({
      file,
      path: [...path, 'action'],
      severity: 'warning',
      message: `"${call.action}" runs ${tool}, which prerequisites.tools does not list`,
      hint: `add ${tool} to prerequisites.tools so a missing binary is caught before step 1`,
    });
  }
  return findings;
}

function shellFindings(
  file: string,
  path: YamlPath,
  command: unknown,
  tools: readonly string[] | undefined,
): PathFinding[] {
  const at = [...path, 'with', 'command'];
  if (!Array.isArray(command) || command.length === 0 || !command.every((arg) => typeof arg === 'string')) {
    return [
      {
        file,
        path: at,
        severity: 'error',
        message: 'shell command must be a list of strings (argv), e.g. [etcdctl, endpoint, health]',
        hint: 'commands run without a shell; write each argument as its own list item',
      },
    ];
  }
  const [program = ''] = command;
  const findings: PathFinding[] = scriptFindings(file, at, command);
  const base = program.split('/').pop() ?? program;
  if (tools && !hasTemplate(program) && !SHELLS.has(base) && !tools.includes(base)) {
    findings.push({
      file,
      path: [...at, 0],
      severity: 'warning',
      message: `this step runs ${base}, which prerequisites.tools does not list`,
      hint: `add ${base} to prerequisites.tools so a missing binary is caught before step 1`,
    });
  }
  return findings;
}
