/**
 * Where the value after a name and its separator ends: a quoted value up to its closing quote at the
 * same level of JSON escaping (so `"a\"b"` and `\"a\\\"b\"` are whole), an unquoted one up to a
 * delimiter. One forward pass, never past the end of the line.
 */
import { MASK, type Span } from './ranges.js';

/** Ends an unquoted value: whitespace, quotes, an escape, and the delimiters of query strings, JSON, YAML flow and connection strings. */
const UNQUOTED_END = new Set([' ', '\t', '\n', '\r', '"', "'", '`', '\\', '&', ',', ';', '}', ']', '<', '>']);

export function valueSpan(text: string, at: number): Span | undefined {
  // Already redacted: the mask is the whole value (its `]` would otherwise end an unquoted one).
  if (text.startsWith(MASK, at)) return [at, at + MASK.length];
  let slashes = 0;
  while (text[at + slashes] === '\\') slashes++;
  const quote = text[at + slashes];
  if (quote === '"' || quote === "'") return quotedSpan(text, at + slashes + 1, quote, slashes);
  if (slashes > 0) return undefined;
  let end = at;
  while (end < text.length && !UNQUOTED_END.has(text[end] as string)) end++;
  return end > at ? [at, end] : undefined;
}

/**
 * A quote opened after `level` backslashes closes at a quote whose run of backslashes r has
 * r mod (2·level + 2) = level: 0 in plain JSON (an even run), 1 once escaped, 3 twice escaped.
 */
function quotedSpan(text: string, start: number, quote: string, level: number): Span {
  let end = start;
  let slashes = 0;
  for (; end < text.length; end++) {
    const char = text[end];
    if (char === '\n' || char === '\r') break;
    if (char === quote && slashes % (2 * level + 2) === level) break;
    slashes = char === '\\' ? slashes + 1 : 0;
  }
  // The escaping of the closing quote is not part of the value.
  let valueEnd = end;
  if (end < text.length && text[end] === quote) valueEnd -= level;
  return [start, Math.max(start, valueEnd)];
}

/** The span of a `user:password` pair's password, starting at `at`, up to whitespace or a quote. */
export function passwordOfPair(text: string, at: number): Span | undefined {
  if (text.startsWith(MASK, at)) return [at, at + MASK.length];
  let end = at;
  while (end < text.length && !UNQUOTED_END.has(text[end] as string)) end++;
  return end > at ? [at, end] : undefined;
}
