import { specFor } from '../actions/catalog.js';
import { templatedCode } from '../domain/argv.js';
import type { Runbook } from '../domain/runbook.js';
import {
  parseTemplate,
  stringsIn,
  TemplateSyntaxError,
  templateRefs,
  type TemplateRef,
} from '../domain/template.js';
import { closest, type PathFinding, type YamlPath } from './finding.js';

/** What a template may see from where it stands: checks before it, steps before it (and its own, in verify/rollback). */
export type TemplateSite = {
  readonly checksBefore: number;
  readonly stepsVisible: number;
  /** False where the params are still being asked for (a param's choicesFrom). */
  readonly paramsKnown?: boolean;
};

const ROOTS = ['params', 'checks', 'steps', 'incident', 'workdir', 'cluster'];
const INCIDENT_FIELDS = ['id', 'mode'];

export function templateFindings(
  file: string,
  runbook: Runbook,
  path: YamlPath,
  value: unknown,
  site: TemplateSite,
): PathFinding[] {
  const findings: PathFinding[] = [];
  for (const [text, inner] of stringsIn(value)) {
    const at = [...path, ...inner];
    try {
      parseTemplate(text);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      findings.push({
        file,
        path: at,
        severity: 'error',
        message: `template: ${error.message}`,
        hint: 'write {{ params.NAME }}, optionally with | default(...)',
      });
      continue;
    }
    for (const ref of templateRefs(text)) {
      const problem = refProblem(runbook, ref, site);
      if (problem)
        findings.push({
          file,
          path: at,
          severity: 'error',
          message: `template {{ ${ref.text} }}: ${problem.message}`,
          hint: problem.hint,
        });
    }
  }
  return findings;
}

type Problem = { message: string; hint: string };

function refProblem(runbook: Runbook, ref: TemplateRef, site: TemplateSite): Problem | undefined {
  const [root = '', name, third, field, ...rest] = ref.path;
  const checks = runbook.prerequisites?.checks ?? [];
  switch (root) {
    case 'params': {
      if (site.paramsKnown === false)
        return {
          message: 'params are not known yet: the choices are listed while the params are being asked for',
          hint: 'give fixed inputs, or use {{ cluster.NAME.context }} or {{ incident.mode }}',
        };
      const params = Object.keys(runbook.params ?? {});
      if (name !== undefined && params.includes(name) && third === undefined) return undefined;
      const guess = name ? closest(name, params) : undefined;
      return {
        message: `unknown param "${name ?? ''}"`,
        hint: guess
          ? `did you mean params.${guess}?`
          : `declare it under params: (known: ${params.join(', ') || 'none'})`,
      };
    }
    case 'checks':
    case 'steps': {
      const list = root === 'checks' ? checks : runbook.steps;
      const index = list.findIndex((item) => item.id === name);
      const visible = root === 'checks' ? site.checksBefore : site.stepsVisible;
      if (index < 0) {
        const guess = name
          ? closest(
              name,
              list.map((item) => item.id),
            )
          : undefined;
        return {
          message: `unknown ${root === 'checks' ? 'check' : 'step'} "${name ?? ''}"`,
          hint: guess
            ? `did you mean ${root}.${guess}?`
            : `ids: ${list.map((item) => item.id).join(', ') || 'none'}`,
        };
      }
      if (index >= visible) {
        return {
          message: `${root}.${name ?? ''} has not run yet at this point`,
          hint: 'a template can use only the results of checks and steps that come before it',
        };
      }
      if (third !== 'result' || field === undefined || rest.length > 0) {
        return {
          message: 'expected the form ' + root + '.ID.result.FIELD',
          hint: `e.g. {{ ${root}.${name ?? 'ID'}.result.name }}`,
        };
      }
      const item = list[index];
      const fields = Object.keys(item ? (specFor(item)?.result ?? {}) : {});
      if (item && fields.length > 0 && !fields.includes(field)) {
        const guess = closest(field, fields);
        return {
          message: `"${item.action}" gives no result field "${field}"`,
          hint: guess ? `did you mean result.${guess}?` : `fields: ${fields.join(', ')}`,
        };
      }
      return undefined;
    }
    case 'incident':
      return name !== undefined && INCIDENT_FIELDS.includes(name) && third === undefined
        ? undefined
        : { message: 'unknown incident field', hint: 'use {{ incident.id }} or {{ incident.mode }}' };
    case 'workdir':
      return name === undefined ? undefined : { message: 'workdir has no fields', hint: 'use {{ workdir }}' };
    case 'cluster':
      return name !== undefined && (third === 'context' || third === 'region') && field === undefined
        ? undefined
        : {
            message: 'expected cluster.NAME.context or cluster.NAME.region',
            hint: 'e.g. {{ cluster.primary.context }}',
          };
    default: {
      const guess = closest(root, ROOTS);
      return {
        message: `unknown name "${root}"`,
        hint: guess ? `did you mean ${guess}?` : `names start with ${ROOTS.join(', ')}`,
      };
    }
  }
}

/** A shell step's argv: templates may fill data arguments, never a program or a script (sh -c, python -c, env … sh -c). */
export function scriptFindings(file: string, at: YamlPath, command: readonly string[]): PathFinding[] {
  return templatedCode(command).map(({ index, message, hint }) => ({
    file,
    path: [...at, index],
    severity: 'error',
    message,
    hint,
  }));
}
