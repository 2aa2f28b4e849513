/** A secret param's value as the stream keeps it: sealed with a key the stream never holds. */
export const SEALED = 'sealed:v1:';

export const isSealed = (value: unknown): boolean => typeof value === 'string' && value.startsWith(SEALED);

/** What people see in place of a secret: never the value, never its sealed form. */
export const MASKED = '••••••';

/** Any sealed value inside a text (a rendered command line) shown masked. */
export function maskSealed(text: string): string {
  return text.replace(/sealed:v1:[A-Za-z0-9+/=_:-]+/g, MASKED);
}
