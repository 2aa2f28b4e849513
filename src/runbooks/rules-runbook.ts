import { matchesPattern } from '../domain/pattern.js';
import { durationSeconds } from '../domain/duration.js';
import { isManual, type Runbook } from '../domain/runbook.js';
import { actionFindings, changeFindings } from './rules-actions.js';
import { actionSpec, ACTION_NAMES } from '../actions/catalog.js';
import { RESTORE_POINT_FIELD } from '../domain/restore-point.js';
import { slackLimitFindings } from './rules-slack-limits.js';
import { templateFindings } from './rules-templates.js';
import type { PathFinding } from './finding.js';

const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Rules inside one runbook: ids, gates, templates, actions, RTO/RPO markers. */
export function runbookFindings(file: string, runbook: Runbook): PathFinding[] {
  const findings: PathFinding[] = slackLimitFindings(file, runbook);
  const error = (path: PathFinding['path'], message: string, hint: string, atKey = false): void => {
    findings.push({ file, path, severity: 'error', message, hint, atKey });
  };
  const tools = runbook.prerequisites?.tools ?? [];
  const checks = runbook.prerequisites?.checks ?? [];

  duplicates(checks.map((c) => c.id)).forEach((i) =>
    error(
      ['prerequisites', 'checks', i, 'id'],
      `duplicate check id "${checks[i]?.id ?? ''}"`,
      'give each check its own id',
    ),
  );
  duplicates(runbook.steps.map((s) => s.id)).forEach((i) =>
    error(
      ['steps', i, 'id'],
      `duplicate step id "${runbook.steps[i]?.id ?? ''}"`,
      'give each step its own id',
    ),
  );

  for (const [name, spec] of Object.entries(runbook.params ?? {})) {
    const problem = defaultProblem(spec);
    if (problem)
      error(['params', name, 'default'], `param ${name}: ${problem}`, 'change the default or the rule');
    const choicesFrom = 'choicesFrom' in spec ? spec.choicesFrom : undefined;
    if (choicesFrom) {
      const path = ['params', name, 'choicesFrom'];
      findings.push(...actionFindings({ file, path, call: choicesFrom, use: 'choices' }, tools));
      findings.push(
        ...templateFindings(file, runbook, [...path, 'with'], choicesFrom.with, {
          checksBefore: 0,
          stepsVisible: 0,
          paramsKnown: false,
        }),
      );
    }
  }

  checks.forEach((check, i) => {
    const path = ['prerequisites', 'checks', i];
    findings.push(...actionFindings({ file, path, call: check, use: 'check' }, tools));
    findings.push(
      ...templateFindings(file, runbook, [...path, 'with'], check.with, { checksBefore: i, stepsVisible: 0 }),
    );
    findings.push(
      ...templateFindings(file, runbook, [...path, 'expect'], check.expect, {
        checksBefore: i,
        stepsVisible: 0,
      }),
    );
  });
  const restorePoints = checks.flatMap((c, i) => (c.restorePoint ? [i] : []));
  restorePoints
    .slice(1)
    .forEach((i) =>
      error(
        ['prerequisites', 'checks', i, 'restorePoint'],
        'only one check can be the restore point',
        'RPO is measured from one backup; keep restorePoint on the check that finds it',
      ),
    );

  runbook.steps.forEach((step, i) => {
    const path = ['steps', i];
    const all = { checksBefore: checks.length, stepsVisible: i };
    const after = { checksBefore: checks.length, stepsVisible: i + 1 };
    findings.push(...actionFindings({ file, path, call: step, use: 'step' }, tools));
    findings.push(...templateFindings(file, runbook, [...path, 'with'], step.with, all));
    findings.push(...templateFindings(file, runbook, [...path, 'expect'], step.expect, all));
    if (step.destructive && step.approval?.count === 0) {
      error(
        [...path, 'approval', 'count'],
        'a destructive step needs at least one approval',
        'set count: 1 (or more), or remove approval: to use the defaults',
      );
    }
    if (step.approval && step.approval.allowRequester && step.approval.count === 1 && step.destructive) {
      error(
        [...path, 'approval', 'allowRequester'],
        'with allowRequester and one approval, one person could run this destructive step alone',
        'keep the two-person rule: remove allowRequester or raise count to 2',
      );
    }
    for (const finding of changeFindings(step))
      error([...path, ...finding.where], finding.message, finding.hint);
    (step.verify ?? []).forEach((check, j) => {
      findings.push(
        ...actionFindings({ file, path: [...path, 'verify', j], call: check, use: 'verify' }, tools),
      );
      findings.push(...templateFindings(file, runbook, [...path, 'verify', j, 'with'], check.with, after));
      findings.push(
        ...templateFindings(file, runbook, [...path, 'verify', j, 'expect'], check.expect, after),
      );
    });
    if (step.rollback) {
      findings.push(
        ...actionFindings({ file, path: [...path, 'rollback'], call: step.rollback, use: 'rollback' }, tools),
      );
      findings.push(
        ...templateFindings(file, runbook, [...path, 'rollback', 'with'], step.rollback.with, after),
      );
    }
    if (step.destructive && !step.verify?.length && !isManual(step)) {
      findings.push({
        file,
        path: [...path, 'destructive'],
        severity: 'warning',
        message: `destructive step "${step.id}" has no verify:`,
        hint: 'add a verification so the evidence that it worked is posted',
      });
    }
  });

  findings.push(...stepRestorePointFindings(file, runbook));

  const restoring = runbook.steps.flatMap((s, i) => (s.restoresService ? [i] : []));
  if (restoring.length === 0)
    error(
      ['steps'],
      'no step has restoresService: true, so RTO cannot be measured',
      'mark the step after which the service is back (usually the final smoke test)',
      true,
    );
  restoring
    .slice(1)
    .forEach((i) =>
      error(
        ['steps', i, 'restoresService'],
        'only one step can restore the service',
        'RTO stops at one step; keep restoresService on the last one',
      ),
    );

  // RTO is measured to when the service is back: a ticked box proves less than a check of the service itself.
  const [stops] = restoring;
  const last = stops === undefined ? undefined : runbook.steps[stops];
  if (stops !== undefined && last !== undefined && isManual(last))
    findings.push({
      file,
      path: ['steps', stops, 'action'],
      severity: 'warning',
      message:
        'the step that stops the RTO clock is manual: RTO would end on a ticked box, not on proof the service is back',
      hint: 'end with an automated check of the service or its data (http.probe with bodyMatches, k8s.workloads-ready), marked restoresService',
    });

  (runbook.dependsOn ?? []).forEach((dependency, i) => {
    findings.push(
      ...actionFindings(
        { file, path: ['dependsOn', i, 'probe'], call: dependency.probe, use: 'probe' },
        tools,
      ),
    );
    findings.push(
      ...templateFindings(file, runbook, ['dependsOn', i, 'probe', 'with'], dependency.probe.with, {
        checksBefore: 0,
        stepsVisible: 0,
      }),
    );
  });
  (runbook.communication ?? []).forEach((message, i) => {
    findings.push(
      ...templateFindings(file, runbook, ['communication', i, 'message'], message.message, {
        checksBefore: checks.length,
        stepsVisible: runbook.steps.length,
      }),
    );
  });
  if (durationSeconds(runbook.targets.rto) === 0)
    error(['targets', 'rto'], 'RTO target is zero', 'set a real target, e.g. 30m');
  return findings;
}

/** A step's `restorePoint` needs an action whose result gives the field it reads; one step at most. */
function stepRestorePointFindings(file: string, runbook: Runbook): PathFinding[] {
  const findings: PathFinding[] = [];
  const error = (i: number, message: string, hint: string) =>
    findings.push({ file, path: ['steps', i, 'restorePoint'], severity: 'error', message, hint });
  const marked = runbook.steps.flatMap((step, i) =>
    step.restorePoint ? [{ kind: step.restorePoint, step, i }] : [],
  );
  for (const { i } of marked.slice(1))
    error(
      i,
      'only one step can be the restore point',
      'keep restorePoint on the step that measures the data lost (e.g. the replication lag at the fence)',
    );
  const restores = runbook.steps.findIndex((step) => step.restoresService);
  for (const { kind, step, i } of marked) {
    // RPO is fixed when the service is back: a restore point measured after that would change nothing.
    if (restores >= 0 && i > restores)
      error(
        i,
        'this step runs after the one that restores the service, when RPO is already taken',
        'measure the restore point before the restoresService step (a failover: at the fence)',
      );
    const field = RESTORE_POINT_FIELD[kind];
    const spec = actionSpec(step.action);
    // An unknown action is reported by actionFindings already.
    if (!isManual(step) && (!spec || field in spec.result)) continue;
    const givers = ACTION_NAMES.filter((name) => field in (actionSpec(name)?.result ?? {}));
    error(
      i,
      `restorePoint: ${kind} reads the result's ${field}, which "${step.action}" does not give`,
      `use an action whose result has ${field} (${givers.join(', ')}), or remove restorePoint`,
    );
  }
  return findings;
}

/** Indexes of items that repeat an earlier one. */
export function duplicates(values: readonly string[]): number[] {
  const seen = new Set<string>();
  return values.flatMap((value, i) => {
    if (seen.has(value)) return [i];
    seen.add(value);
    return [];
  });
}

function defaultProblem(spec: NonNullable<Runbook['params']>[string]): string | undefined {
  if (spec.default === undefined) return undefined;
  switch (spec.type) {
    case 'enum':
      return spec.values.includes(spec.default)
        ? undefined
        : `default "${spec.default}" is not one of ${spec.values.join(', ')}`;
    case 'int':
      return (spec.min !== undefined && spec.default < spec.min) ||
        (spec.max !== undefined && spec.default > spec.max)
        ? 'default is outside min..max'
        : undefined;
    case 'k8sName':
      return K8S_NAME.test(spec.default) ? undefined : 'default is not a valid Kubernetes name';
    case 'string':
      return matchesPattern(spec.pattern, spec.default) ? undefined : 'default does not match its pattern';
    case 'duration':
    case 'url':
      return undefined;
  }
}
