/**
 * `{{ params.namespace }}`, `{{ checks.fresh-backup.result.name }}`, `{{ a | default(b) }}`.
 * Templates fill text inside one string; they never add structure or arguments.
 */

export type TemplateRef = { readonly path: readonly string[]; readonly text: string };
export type TemplateArg =
  { readonly kind: 'ref'; readonly ref: TemplateRef } | { readonly kind: 'literal'; readonly value: string };
export type TemplateExpr = {
  readonly ref: TemplateRef;
  readonly fallback?: TemplateArg;
  readonly source: string;
};
export type TemplatePart = string | TemplateExpr;

export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
}

const TAG = /\{\{([^{}]*)\}\}/g;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const DEFAULT_FILTER = /^default\((.*)\)$/s;

function parseRef(text: string, source: string): TemplateRef {
  const trimmed = text.trim();
  const path = trimmed.split('.');
  if (path.length === 0 || path.some((segment) => !SEGMENT.test(segment))) {
    throw new TemplateSyntaxError(`"${source}": "${trimmed}" is not a name like params.namespace`);
  }
  return { path, text: trimmed };
}

function parseArg(text: string, source: string): TemplateArg {
  const trimmed = text.trim();
  const quoted = /^(['"])(.*)\1$/s.exec(trimmed);
  if (quoted) return { kind: 'literal', value: quoted[2] ?? '' };
  if (/^-?[0-9]+(\.[0-9]+)?$/.test(trimmed)) return { kind: 'literal', value: trimmed };
  return { kind: 'ref', ref: parseRef(trimmed, source) };
}

function parseExpr(inner: string, source: string): TemplateExpr {
  const [head, ...filters] = inner.split('|');
  if (head === undefined || head.trim() === '') throw new TemplateSyntaxError(`"${source}" is empty`);
  const ref = parseRef(head, source);
  if (filters.length === 0) return { ref, source };
  if (filters.length > 1)
    throw new TemplateSyntaxError(`"${source}": only one filter, default(...), is supported`);
  const filter = DEFAULT_FILTER.exec((filters[0] ?? '').trim());
  if (!filter) throw new TemplateSyntaxError(`"${source}": unknown filter; the only filter is default(...)`);
  return { ref, fallback: parseArg(filter[1] ?? '', source), source };
}

/** Splits a string into literal text and template expressions. */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of text.matchAll(TAG)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(parseExpr(match[1] ?? '', match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  const rest = parts.filter((part): part is string => typeof part === 'string').join('');
  if (rest.includes('{{') || rest.includes('}}')) {
    throw new TemplateSyntaxError(`unbalanced "{{" or "}}" in ${JSON.stringify(text)}`);
  }
  return parts;
}

export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/** Every name a template string refers to, including those inside default(...). */
export function templateRefs(text: string): TemplateRef[] {
  return parseTemplate(text).flatMap((part) => {
    if (typeof part === 'string') return [];
    return part.fallback?.kind === 'ref' ? [part.ref, part.fallback.ref] : [part.ref];
  });
}

export type TemplateScope = (path: readonly string[]) => unknown;

export class TemplateValueMissing extends Error {
  override readonly name = 'TemplateValueMissing';
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Fills a template; a missing value with no default is an error, never an empty string. */
export function renderTemplate(text: string, lookup: TemplateScope): string {
  return parseTemplate(text)
    .map((part) => {
      if (typeof part === 'string') return part;
      const value = lookup(part.ref.path);
      if (value !== undefined && value !== null && value !== '') return stringify(value);
      if (part.fallback?.kind === 'literal') return part.fallback.value;
      if (part.fallback?.kind === 'ref') {
        const fallback = lookup(part.fallback.ref.path);
        if (fallback !== undefined && fallback !== null && fallback !== '') return stringify(fallback);
      }
      throw new TemplateValueMissing(`${part.source} has no value`);
    })
    .join('');
}

/** Applies `renderTemplate` to every string inside a value, keeping its shape. */
export function renderDeep(value: unknown, lookup: TemplateScope): unknown {
  if (typeof value === 'string') return renderTemplate(value, lookup);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, lookup));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderDeep(item, lookup)]));
  }
  return value;
}

/** Every string inside a value, with its path, for lint. */
export function* stringsIn(
  value: unknown,
  path: (string | number)[] = [],
): Generator<[string, (string | number)[]]> {
  if (typeof value === 'string') yield [value, path];
  else if (Array.isArray(value))
    for (const [i, item] of value.entries()) yield* stringsIn(item, [...path, i]);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* stringsIn(item, [...path, key]);
  }
}
