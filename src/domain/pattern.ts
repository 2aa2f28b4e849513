import { RE2JS } from 're2js';

/**
 * Patterns written by runbook authors (param `pattern`, `matches`, `bodyMatches`) run in RE2, whose
 * time is linear in the input: no pattern can freeze the bot on a hostile value. RE2 has no
 * look-around or back-references; such a pattern is refused when the runbook loads.
 */
export type Pattern = { readonly source: string; readonly test: (text: string) => boolean };

const compiled = new Map<string, Pattern | { readonly error: string }>();
const MAX_CACHED = 500;

export function compilePattern(source: string): Pattern | { readonly error: string } {
  const known = compiled.get(source);
  if (known) return known;
  let result: Pattern | { readonly error: string };
  try {
    const re = RE2JS.compile(source);
    result = { source, test: (text) => re.matcher(text).find() };
  } catch (error) {
    result = {
      error: `${error instanceof Error ? error.message : String(error)} (patterns run in RE2, linear time: no look-around or back-references)`,
    };
  }
  if (compiled.size >= MAX_CACHED) compiled.clear();
  compiled.set(source, result);
  return result;
}

/** `source` tested against `text` as JavaScript's `RegExp.test` would (anywhere in the text); false for a pattern that does not compile. */
export function matchesPattern(source: string, text: string): boolean {
  const pattern = compilePattern(source);
  return 'test' in pattern && pattern.test(text);
}

export function patternError(source: string): string | undefined {
  const pattern = compilePattern(source);
  return 'error' in pattern ? pattern.error : undefined;
}
