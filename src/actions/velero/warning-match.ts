import { compilePattern, patternError } from '../../domain/pattern.js';
import { errorMessage } from '../../errors.js';

/**
 * The one place `allowWarnings` patterns are checked and matched. They run in RE2, as every runbook
 * pattern does (src/domain/pattern.ts); the shapes refused below keep the allowlist readable.
 */

const MAX_PATTERN = 200;
/** A quantified group holding a quantifier — `(a+)+`, `(x*)*`, `(.*){2,}` — is the catastrophic shape. */
const NESTED_QUANTIFIER =
  /\((?:[^()\\]|\\.)*(?:[*+?]|\{\d+(?:,\d*)?\})(?:[^()\\]|\\.)*\)(?:[*+?]|\{\d+(?:,\d*)?\})/;
const BACKREFERENCE = /\\[1-9]|\\k</;

/** Why a pattern is refused, or undefined when it is safe to use. */
export function unsafePattern(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN) return `longer than ${MAX_PATTERN} characters`;
  if (NESTED_QUANTIFIER.test(pattern))
    return 'a quantified group holding a quantifier (e.g. (a+)+) can take exponential time';
  if (BACKREFERENCE.test(pattern)) return 'backreferences are not supported';
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return errorMessage(error);
  }
  return patternError(pattern);
}

/** Whether a warning is allowed by one of the patterns (unanchored: a pattern may match part of it). */
export function allowedBy(patterns: readonly string[]): (warning: string) => boolean {
  const compiled = patterns.map(compilePattern).flatMap((p) => ('test' in p ? [p] : []));
  return (warning) => compiled.some((pattern) => pattern.test(warning));
}
