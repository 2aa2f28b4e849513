import type { IncidentState } from './incident.js';
import type { Step } from './runbook.js';
import { renderDeep, type TemplateScope } from './template.js';

/** What a template sees in an incident: params, earlier results, the incident itself. */
export function incidentScope(
  state: IncidentState,
  extra: Readonly<Record<string, unknown>> = {},
): TemplateScope {
  return (path) => {
    const [root, name, , field] = path;
    switch (root) {
      case 'params':
        return name === undefined ? undefined : state.params[name];
      case 'checks':
        return name === undefined || field === undefined ? undefined : state.checks[name]?.[field];
      case 'steps':
        return name === undefined || field === undefined ? undefined : state.steps[name]?.result?.[field];
      case 'incident':
        return name === 'id' ? state.id : name === 'mode' ? state.mode : undefined;
      default:
        return path.reduce<unknown>(
          (node, key) =>
            node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
          extra,
        );
    }
  };
}

/** 64-bit FNV-1a: a pure fingerprint for matching, not a security boundary (approvals are also bound to the actor checks). */
function fingerprint(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What an approval is bound to: the action, its arguments as they will run, and the target mode (a
 * drill sends `primary` elsewhere). If any of these change, earlier approvals no longer apply.
 */
export function bindingOf(state: IncidentState, step: Step | undefined, gate: string): string {
  if (!step) return fingerprint(canonical({ gate, runbook: state.runbookHash, params: state.params }));
  const call = gate === 'rollback' ? step.rollback : step;
  let args: unknown;
  try {
    args = renderDeep(call?.with ?? {}, incidentScope(state));
  } catch {
    args = { unresolved: call?.with ?? {}, params: state.params };
  }
  return fingerprint(
    canonical({
      gate,
      step: step.id,
      action: call?.action,
      args,
      mode: state.mode,
      runbook: state.runbookHash,
    }),
  );
}

/** What a person approves with a destructive step: each check its inputs name, with that check's readable result. */
export function evidenceBoundTo(
  state: IncidentState,
  step: Step,
): { readonly check: string; readonly shown: string; readonly digest?: string }[] {
  const named = new Set(
    [...JSON.stringify(step.with ?? {}).matchAll(/checks\.([a-z0-9-]+)\./g)].map((m) => m[1] ?? ''),
  );
  return [...named].flatMap((check) => {
    const result = state.checks[check];
    const shown = result?.stdout;
    if (typeof shown !== 'string' || shown.trim() === '') return [];
    const digest = typeof result?.digest === 'string' ? result.digest : undefined;
    return [{ check, shown, ...(digest ? { digest } : {}) }];
  });
}
