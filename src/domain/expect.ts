import { matchesPattern, patternError } from './pattern.js';
import { z } from 'zod';

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const Matcher = z
  .strictObject({
    eq: Scalar.optional(),
    ne: Scalar.optional(),
    lt: z.number().optional(),
    gt: z.number().optional(),
    matches: z.string().refine(isRegex, { message: 'not a valid regular expression' }).optional(),
    contains: z.string().optional(),
  })
  .refine((m) => Object.keys(m).length > 0, {
    message: 'a matcher needs one of eq, ne, lt, gt, matches, contains',
  });

/** `expect`: result field → value or matcher. */
export const Expect = z.record(z.string(), z.union([Scalar, Matcher]));
export type Expect = z.infer<typeof Expect>;

function isRegex(source: string): boolean {
  return patternError(source) === undefined;
}

export type ExpectFailure = { readonly field: string; readonly wanted: string; readonly got: unknown };

function describe(matcher: unknown): string {
  if (matcher === null || typeof matcher !== 'object') return `= ${JSON.stringify(matcher)}`;
  const words: Record<string, string> = {
    eq: '=',
    ne: '≠',
    lt: '<',
    gt: '>',
    matches: 'matches',
    contains: 'contains',
  };
  return Object.entries(matcher)
    .map(([op, value]) => `${words[op] ?? op} ${JSON.stringify(value)}`)
    .join(' and ');
}

function holds(op: string, wanted: unknown, got: unknown): boolean {
  switch (op) {
    case 'eq':
      return got === wanted;
    case 'ne':
      return got !== wanted;
    case 'lt':
      return typeof got === 'number' && got < (wanted as number);
    case 'gt':
      return typeof got === 'number' && got > (wanted as number);
    case 'matches':
      return typeof got === 'string' && matchesPattern(wanted as string, got);
    case 'contains':
      return Array.isArray(got)
        ? got.includes(wanted)
        : typeof got === 'string' && got.includes(wanted as string);
    default:
      return false;
  }
}

/** `metadata.cluster` reads result.metadata.cluster; a field named with a dot is found first. */
export function resultField(result: Readonly<Record<string, unknown>>, field: string): unknown {
  if (field in result) return result[field];
  return field
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
      result,
    );
}

/** The fields of a result that do not meet the expectation; empty when it passes. Template values must be rendered first. */
export function checkExpect(
  expect: Expect | undefined,
  result: Readonly<Record<string, unknown>>,
): ExpectFailure[] {
  if (!expect) return [];
  return Object.entries(expect).flatMap(([field, matcher]) => {
    const got = resultField(result, field);
    const ok =
      matcher === null || typeof matcher !== 'object'
        ? got === matcher
        : Object.entries(matcher).every(([op, wanted]) => wanted === undefined || holds(op, wanted, got));
    return ok ? [] : [{ field, wanted: describe(matcher), got }];
  });
}
