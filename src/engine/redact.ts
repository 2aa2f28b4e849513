/**
 * Secrets out of everything before it is stored or posted: output, errors and results of actions.
 * Known values (secret-looking environment variables) first, then shapes that are secrets anywhere.
 */

const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL)/i;
const MASK = '[REDACTED]';

const PATTERNS: readonly (readonly [RegExp, string])[] = [
  // PEM private keys and certificates' keys, whole blocks.
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
    `-----BEGIN PRIVATE KEY----- ${MASK} -----END PRIVATE KEY-----`,
  ],
  // AWS access key ids, and secret keys written next to their name.
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, MASK],
  [
    /(aws_secret_access_key|secretAccessKey|AWS_SECRET_ACCESS_KEY)(["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}/g,
    `$1$2${MASK}`,
  ],
  // Slack tokens.
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, MASK],
  [/\bxapp-[A-Za-z0-9-]{10,}/g, MASK],
  // Bearer tokens in headers or logs.
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${MASK}`],
  // kubeconfig and similar YAML/JSON secret fields.
  [
    /((?:token|client-key-data|client-certificate-data|password|secret)["']?\s*[:=]\s*["']?)[^\s"',}]{6,}/gi,
    `$1${MASK}`,
  ],
];

export type Redactor = (text: string) => string;

/** A redactor that also hides the values of secret-looking variables (from the step's env and the process's). */
export function redactor(env: Readonly<Record<string, string | undefined>> = {}): Redactor {
  const values = Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= 6)
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const value of values) out = out.split(value).join(MASK);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}

/** Applies a redactor to every string inside a value, keeping its shape. */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, redact)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]),
    ) as T;
  }
  return value;
}
