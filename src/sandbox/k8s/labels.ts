/**
 * Label selectors as the API server parses them (k8s.io/apimachinery/pkg/labels/selector.go):
 * equality (`app=web`, `app==web`, `tier!=db`), set-based (`env in (prod,dr)`, `env notin (dev)`),
 * existence (`release`, `!canary`) and numeric (`rank>1`, `rank<3`), joined by commas.
 */

export type Requirement =
  | { readonly key: string; readonly op: 'in' | 'notin'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'exists' | '!' }
  | { readonly key: string; readonly op: 'gt' | 'lt'; readonly value: number };

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const SET = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^)]*)\)$`);
const EQUALITY = new RegExp(String.raw`^(${KEY})\s*(==|=|!=)\s*(${VALUE})$`);
const NUMERIC = new RegExp(String.raw`^(${KEY})\s*([<>])\s*(-?\d+)$`);
const EXISTS = new RegExp(String.raw`^(!?)\s*(${KEY})$`);
const VALUE_ONLY = new RegExp(String.raw`^${VALUE}$`);

/** Splits on the commas between requirements, not those inside `(…)`. */
function requirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i += 1) {
    const c = selector[i];
    if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts.map((p) => p.trim());
}

function requirement(text: string): Requirement | string {
  const set = SET.exec(text);
  if (set) {
    const values = (set[4] ?? '').split(',').map((v) => v.trim());
    if (values.some((v) => !VALUE_ONLY.test(v))) return `invalid value in ${text}`;
    return { key: set[1] ?? '', op: set[3] === 'notin' ? 'notin' : 'in', values };
  }
  const equality = EQUALITY.exec(text);
  if (equality)
    return { key: equality[1] ?? '', op: equality[3] === '!=' ? 'notin' : 'in', values: [equality[4] ?? ''] };
  const numeric = NUMERIC.exec(text);
  if (numeric)
    return { key: numeric[1] ?? '', op: numeric[3] === '>' ? 'gt' : 'lt', value: Number(numeric[4]) };
  const exists = EXISTS.exec(text);
  if (exists) return { key: exists[2] ?? '', op: exists[1] ? '!' : 'exists' };
  return `unable to parse requirement: ${text}`;
}

/** The requirements of `selector`, or the API server's complaint about it. */
export function parseSelector(selector: string): Requirement[] | string {
  if (selector.trim() === '') return [];
  const parsed: Requirement[] = [];
  for (const part of requirements(selector)) {
    const one = requirement(part);
    if (typeof one === 'string') return one;
    parsed.push(one);
  }
  return parsed;
}

function holds(labels: Record<string, string>, r: Requirement): boolean {
  const value = Object.hasOwn(labels, r.key) ? labels[r.key] : undefined;
  switch (r.op) {
    case 'in':
      return value !== undefined && r.values.includes(value);
    // `!=` and `notin` also match objects without the label, as the API server's do.
    case 'notin':
      return value === undefined || !r.values.includes(value);
    case 'exists':
      return value !== undefined;
    case '!':
      return value === undefined;
    case 'gt':
    case 'lt': {
      const n = Number(value);
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      return r.op === 'gt' ? n > r.value : n < r.value;
    }
  }
}

export const selects = (labels: Record<string, string>, requirements: readonly Requirement[]): boolean =>
  requirements.every((r) => holds(labels, r));

/** A LabelSelector (`matchLabels`, `matchExpressions`) as its string form, as Scale.status.selector shows it. */
export function selectorString(selector: unknown): string {
  const { matchLabels = {}, matchExpressions = [] } = (selector ?? {}) as {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  const parts: [string, string][] = [
    ...Object.entries(matchLabels).map(([key, value]): [string, string] => [key, `${key}=${value}`]),
    ...matchExpressions.map(({ key, operator, values = [] }): [string, string] => {
      if (operator === 'Exists') return [key, key];
      if (operator === 'DoesNotExist') return [key, `!${key}`];
      return [key, `${key} ${operator === 'NotIn' ? 'notin' : 'in'} (${[...values].sort().join(',')})`];
    }),
  ];
  // labels.Selector's String() lists its requirements sorted by key (apimachinery pkg/labels/selector.go).
  return parts
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, text]) => text)
    .join(',');
}
