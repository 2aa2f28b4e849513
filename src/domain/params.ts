import { isSealed } from './sealed.js';
import { hasControlCharacter } from './argv.js';
import { matchesPattern } from './pattern.js';
import { DURATION_PATTERN } from './duration.js';
import type { ParamSpec } from './runbook.js';

export type ParamValues = Readonly<Record<string, string | number>>;
const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

type Problem = { error: string; /** The value is not echoed back (it may hold a password). */ quiet?: true };

function problem(spec: ParamSpec, raw: string): string | number | Problem {
  switch (spec.type) {
    case 'string':
      return matchesPattern(spec.pattern, raw) ? raw : { error: `must match ${spec.pattern}` };
    case 'k8sName':
      return K8S_NAME.test(raw)
        ? raw
        : { error: 'must be a Kubernetes name: lower-case letters, digits and "-", at most 63' };
    case 'enum':
      return spec.values.includes(raw) ? raw : { error: `must be one of ${spec.values.join(', ')}` };
    case 'duration':
      return DURATION_PATTERN.test(raw) ? raw : { error: 'must be a duration such as 90s, 15m, 4h' };
    case 'int': {
      if (!/^-?[0-9]{1,15}$/.test(raw)) return { error: 'must be a whole number' };
      const value = Number(raw);
      if (spec.min !== undefined && value < spec.min) return { error: `must be at least ${spec.min}` };
      if (spec.max !== undefined && value > spec.max) return { error: `must be at most ${spec.max}` };
      return value;
    }
    case 'url': {
      if (!URL.canParse(raw)) return { error: 'must be a URL such as https://example.com/healthz' };
      // Re-serialised by WHATWG URL, so every later use sees the one canonical form (0xa9fea9fe → 169.254.169.254).
      const url = new URL(raw);
      if (!/^https?:$/.test(url.protocol)) return { error: 'must be an http or https URL' };
      if (url.username !== '' || url.password !== '')
        return {
          error: 'must not hold a user name or password: give credentials through the environment',
          quiet: true,
        };
      return url.href;
    }
  }
}

/** What is wrong with one parameter: the form shows `why` next to the field named `param`. */
export type ParamProblem = { readonly param: string; readonly why: string };
export const problemText = (problem: ParamProblem): string => `${problem.param}: ${problem.why}`;

/** Checks every value against its spec before anything uses it; names each problem for the person typing. */
export function validateParams(
  specs: Readonly<Record<string, ParamSpec>>,
  input: Readonly<Record<string, unknown>>,
): { values: ParamValues } | { errors: ParamProblem[] } {
  const values: Record<string, string | number> = {};
  const errors: ParamProblem[] = [];
  for (const name of Object.keys(input))
    if (!Object.hasOwn(specs, name)) errors.push({ param: name, why: 'this runbook has no such parameter' });
  for (const [name, spec] of Object.entries(specs)) {
    const given = input[name];
    const raw = typeof given === 'string' || typeof given === 'number' ? String(given).trim() : '';
    if (raw === '') {
      if (spec.default !== undefined) values[name] = spec.default;
      else if (!spec.optional) errors.push({ param: name, why: `required (${spec.prompt})` });
      continue;
    }
    if (raw.length > 2000) {
      errors.push({ param: name, why: 'longer than 2000 characters' });
      continue;
    }
    // Sealed by the engine after this same check on the typed value; the rules see only the seal.
    if (spec.secret && isSealed(raw)) {
      values[name] = raw;
      continue;
    }
    const checked = hasControlCharacter(raw)
      ? { error: 'holds a line break or control character; give it on one line' }
      : problem(spec, raw);
    if (typeof checked === 'object')
      errors.push({
        param: name,
        why: checked.quiet
          ? checked.error
          : `${spec.secret ? 'the value' : JSON.stringify(raw.slice(0, 80))} ${checked.error}`,
      });
    else values[name] = checked;
  }
  return errors.length > 0 ? { errors } : { values };
}
