/**
 * Secrets out of everything before it is stored, posted or logged: output, errors and results of
 * actions, log fields. Known values (secret-looking environment variables, secret params) and the
 * shapes of secrets anywhere (src/redact/); linear in the text, and it never throws.
 */
import { redactValue } from '../redact/deep.js';
import { findSecrets } from '../redact/detect.js';
import { MASK, applySpans } from '../redact/ranges.js';

export { MASK };

export type Redactor = (text: string) => string;

export type RedactorOptions = {
  /** Values known to be secret wherever they appear (e.g. the values of a runbook's secret params). */
  values?: readonly (string | undefined)[];
};

const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL)/i;
/** Shorter values would mask ordinary words and numbers everywhere. */
const MIN_ENV_VALUE = 6;
const MIN_GIVEN_VALUE = 4;
/** Each pass can only add masks; real output settles in two. */
const MAX_PASSES = 4;

/** A value as it appears in text: raw, and JSON-escaped once and twice (a failed `expect` embeds output as JSON). */
function forms(value: string): string[] {
  const once = JSON.stringify(value).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  return [...new Set([value, once, twice])];
}

/** A redactor that also hides the values of secret-looking variables (from the step's env and the process's) and `options.values`. */
export function redactor(
  env: Readonly<Record<string, string | undefined>> = {},
  options: RedactorOptions = {},
): Redactor {
  const fromEnv = Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= MIN_ENV_VALUE)
    .map(([, value]) => value as string);
  const given = (options.values ?? []).filter(
    (value): value is string => typeof value === 'string' && value.length >= MIN_GIVEN_VALUE,
  );
  const known = [...new Set([...fromEnv, ...given].flatMap(forms))]
    .filter((value) => !value.includes(MASK))
    .sort((a, b) => b.length - a.length);
  return (text) => {
    try {
      let out = typeof text === 'string' ? text : String(text);
      // Until nothing changes: a mask can cut off a token that hid another secret (`AKIA…--password x`)
      // or bring a name and its value closer; real output settles in two passes.
      for (let pass = 0; pass < MAX_PASSES; pass++) {
        const next = applySpans(out, findSecrets(out, known));
        if (next === out) break;
        out = next;
      }
      return out;
    } catch {
      // Never pass through what could not be checked.
      return `${MASK} (the redactor could not read this text)`;
    }
  };
}

/** Applies a redactor to every string inside a value, keeping its shape; cycles and deep nesting end in a marker. */
export function redactDeep<T>(value: T, redact: Redactor): T {
  return redactValue(value, redact) as T;
}
