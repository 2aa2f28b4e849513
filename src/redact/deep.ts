/** Redaction through values of any shape: cycles and deep nesting end in a marker, never a throw. */

/** Deeper than any result or log field the bot builds; past it the value is replaced, not walked. */
const MAX_DEPTH = 32;

export function redactValue(
  value: unknown,
  redact: (text: string) => string,
  depth = 0,
  seen = new WeakSet<object>(),
): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, redact, depth + 1, seen));
    // An Error's message and stack are not own enumerable properties: keep them, redacted.
    if (value instanceof Error) {
      return {
        name: value.name,
        message: redact(value.message),
        ...(value.stack === undefined ? {} : { stack: redact(value.stack) }),
        ...(redactValue({ ...value }, redact, depth + 1, seen) as object),
      };
    }
    if (value instanceof Date || ArrayBuffer.isView(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactValue(item, redact, depth + 1, seen);
    return out;
  } catch {
    // A getter or proxy that throws: what it holds cannot be shown, so nothing of it is.
    return '[unreadable]';
  } finally {
    seen.delete(value);
  }
}
