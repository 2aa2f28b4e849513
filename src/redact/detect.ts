/**
 * Finds every span of a text that holds a secret. Every detector is one forward pass (a global
 * regex whose attempts are bounded, or indexOf), so the whole is linear in the text.
 *
 * Why our own engine and not secretlint's (evaluated: @secretlint/core 13.1 with the recommended
 * preset): its `lintSource` is async only, while redaction runs synchronously on every progress line
 * and log line; it reports where a rule fired rather than what to hide (the private-key rule marks
 * only the BEGIN line, and needs the END); it knows nothing of the forms DR output carries (kubeconfig
 * and Secret fields, flags, userinfo, JSON-escaped output). Its list of formats is ./formats.ts.
 */
import { isSecretName } from './names.js';
import { pemSpans } from './pem.js';
import type { Span } from './ranges.js';
import { AUTH_SCHEME, SLACK_WEBHOOK, TOKEN_PATTERN } from './formats.js';
import { passwordOfPair, valueSpan } from './values.js';

/** A name starts where a token could, and may hold dots (`tls.key`) and dashes (`--password`). */
const NAME_START = String.raw`(?<=^|[^A-Za-z0-9_.-]|\\[nrt])`;

/** `name: value`, `name=value`, `"name": "value"`, `\"name\":\"value\"`, `name := value`. */
const NAMED_VALUE = new RegExp(
  String.raw`${NAME_START}([A-Za-z0-9_.-]{1,64})(?:\\*["'])?[ \t]{0,32}(?::=|=>|:|=)[ \t]{0,32}`,
  'g',
);

/** `--password VALUE` (the `=` form is a named value). */
const LONG_FLAG = new RegExp(String.raw`${NAME_START}(--[A-Za-z][A-Za-z0-9-]{0,40})[ \t]+(?=[^\s-])`, 'g');

/** `-p VALUE` / `-pVALUE` for a login (docker, podman, helm, mysql), `-a VALUE` for redis-cli. */
const SHORT_FLAG = new RegExp(String.raw`${NAME_START}-([pa])(?:[ \t]+)?(?=[^\s-])`, 'g');
const PASSWORD_FLAG_CONTEXT = {
  p: /\b(?:login|mysql|mysqladmin|mysqldump|mariadb)\b/,
  a: /\bredis-cli\b/,
} as const;

/** curl's `-u user:pass`, etcdctl's `--user root:pass`: the password after the first colon. */
const USER_PAIR = new RegExp(
  String.raw`${NAME_START}(?:-u|--user|--proxy-user)(?:[ \t]+|=)["']?[^\s:"'\\]{1,128}:`,
  'g',
);

/** Ends the authority of `scheme://user:password@host`; a raw `/` in a password is not valid (RFC 3986 §3.2.1). */
const AUTHORITY_END = new Set([' ', '\t', '\n', '\r', '"', "'", '`', '\\', '/', '?', '#', '<', '>']);

/**
 * Base64 long enough to hold a credentials file, a kubeconfig or a key (Secret data, `-o jsonpath`
 * output). Used only by findSecrets: its lastIndex is live while a decoded run is searched.
 */
const BASE64_RUN = /(?<=^|[^A-Za-z0-9+/_-]|\\[nrt])[A-Za-z0-9+/]{32,}={0,2}/g;

type Detector = (text: string, spans: Span[]) => void;

function eachMatch(
  pattern: RegExp,
  text: string,
  visit: (match: RegExpExecArray) => number | undefined,
): void {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const next = visit(match) ?? 0;
    pattern.lastIndex = Math.max(next, match.index + Math.max(match[0].length, 1));
  }
}

function groupSpan(match: RegExpExecArray, spans: Span[]): undefined {
  const span = match.indices?.[1];
  if (span !== undefined) spans.push(span);
  return undefined;
}

const tokens: Detector = (text, spans) =>
  eachMatch(TOKEN_PATTERN, text, (match) => {
    spans.push([match.index, match.index + match[0].length]);
    return undefined;
  });

const webhooks: Detector = (text, spans) =>
  eachMatch(SLACK_WEBHOOK, text, (match) => groupSpan(match, spans));

/** "Basic authentication failed", "bearer tokens are refused": prose, not credentials. */
const SCHEME_PROSE = /^(?:auth\w*|tokens?|credentials?|scheme|realm|header|access|login)$/i;

const authSchemes: Detector = (text, spans) =>
  eachMatch(AUTH_SCHEME, text, (match) => {
    return SCHEME_PROSE.test(match[1] ?? '') ? undefined : groupSpan(match, spans);
  });

/** `automountServiceAccountToken: false`, `token_renewable: true`: settings, not secrets. */
const NOT_A_VALUE = new Set(['true', 'false', 'null', '~']);

function valueAfter(text: string, at: number, spans: Span[]): number | undefined {
  const span = valueSpan(text, at);
  if (span === undefined) return undefined;
  if (!NOT_A_VALUE.has(text.slice(span[0], span[1]))) spans.push(span);
  return span[1];
}

const namedValues: Detector = (text, spans) =>
  eachMatch(NAMED_VALUE, text, (match) =>
    isSecretName(match[1] ?? '') ? valueAfter(text, match.index + match[0].length, spans) : undefined,
  );

const longFlags: Detector = (text, spans) =>
  eachMatch(LONG_FLAG, text, (match) =>
    isSecretName(match[1] ?? '') ? valueAfter(text, match.index + match[0].length, spans) : undefined,
  );

const shortFlags: Detector = (text, spans) =>
  eachMatch(SHORT_FLAG, text, (match) => {
    const line = text.slice(Math.max(0, match.index - 256), match.index);
    const command = line.slice(line.lastIndexOf('\n') + 1);
    const context = PASSWORD_FLAG_CONTEXT[match[1] as keyof typeof PASSWORD_FLAG_CONTEXT];
    return context.test(command) ? valueAfter(text, match.index + match[0].length, spans) : undefined;
  });

const userPairs: Detector = (text, spans) =>
  eachMatch(USER_PAIR, text, (match) => {
    const span = passwordOfPair(text, match.index + match[0].length);
    if (span === undefined) return undefined;
    // `docker run -u 1000:1000` is a uid and gid.
    if (/^\d+$/.test(text.slice(span[0], span[1])) && /[-\s=]\d+:$/.test(match[0])) return undefined;
    spans.push(span);
    return span[1];
  });

/** Found by its `://` with indexOf: a regex for the scheme would be tried at every letter of the text. */
const urlUserinfo: Detector = (text, spans) => {
  for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 3)) {
    if (!/[A-Za-z0-9]/.test(text[at - 1] ?? '')) continue;
    const start = at + 3;
    let end = start;
    while (end < text.length && !AUTHORITY_END.has(text[end] as string)) end++;
    const authority = text.slice(start, end);
    const userinfo = authority.lastIndexOf('@');
    const colon = authority.indexOf(':');
    if (userinfo > colon + 1 && colon !== -1) spans.push([start + colon + 1, start + userinfo]);
    // Nothing else starts inside an authority: the scan goes on after it, so each character is read once.
    at = Math.max(at, end - 3);
  }
};

/** Everything but the decoding of base64: what a decoded value is searched with. */
const SHAPES: readonly Detector[] = [
  pemSpans,
  tokens,
  webhooks,
  authSchemes,
  namedValues,
  longFlags,
  shortFlags,
  userPairs,
  urlUserinfo,
];

/** A decoded run counts only when it reads as text: random bytes are no credentials file. */
function readsAsText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 64);
  let printable = 0;
  for (const byte of sample)
    if ((byte >= 32 && byte < 127) || byte === 9 || byte === 10 || byte === 13) printable++;
  return printable >= sample.length * 0.9;
}

function knownSpans(text: string, known: readonly string[], spans: Span[]): void {
  for (const value of known) {
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) {
      spans.push([at, at + value.length]);
    }
  }
}

/** The spans of `text` that hold a secret: known values, shapes, and base64 that decodes to either. */
export function findSecrets(text: string, known: readonly string[]): Span[] {
  const spans = shapesAndKnown(text, known);
  eachMatch(BASE64_RUN, text, (match) => {
    const decoded = Buffer.from(match[0], 'base64');
    if (readsAsText(decoded) && shapesAndKnown(decoded.toString('utf8'), known).length > 0) {
      spans.push([match.index, match.index + match[0].length]);
    }
    return undefined;
  });
  return spans;
}

function shapesAndKnown(text: string, known: readonly string[]): Span[] {
  const spans: Span[] = [];
  knownSpans(text, known, spans);
  for (const detect of SHAPES) detect(text, spans);
  return spans;
}
