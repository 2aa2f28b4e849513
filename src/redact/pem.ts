/**
 * PEM private keys (RFC 7468 labels such as `RSA PRIVATE KEY`, `OPENSSH PRIVATE KEY`, `PGP PRIVATE
 * KEY BLOCK`): found with indexOf and walked line by line, never with a regex spanning the text, so
 * any number of BEGIN lines costs one pass. A block cut by a bounded output (a BEGIN without its END,
 * or an END whose BEGIN was cut) hides its body lines up to the first line that is not base64: the
 * rest of the output, where the error usually is, stays readable. Certificates are public and kept.
 */
import type { Span } from './ranges.js';

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const BEGIN_LABEL = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
const END_LABEL = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
/** RFC 1421 / RFC 4880 armor headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`, `Version: …`) after BEGIN. */
const ARMOR_HEADER = /(?:\r?\n|\\+r?\\+n)[A-Za-z][A-Za-z-]{0,31}: [^\r\n\\]{0,256}/y;
/** A chunk of body that is followed by a space, not a line break, counts only when it is this long. */
const SPACED_CHUNK = 16;

function isBase64(code: number): boolean {
  return (
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    (code >= 48 && code <= 57) ||
    code === 43 ||
    code === 47 ||
    code === 61
  );
}

/** A line break at `at`, raw or JSON-escaped once or more (`\n`, `\\n`, `\r\n`): its length, or 0. */
function lineBreakAt(text: string, at: number): number {
  const char = text[at];
  if (char === '\n' || char === '\r') return 1;
  let slashes = 0;
  while (text[at + slashes] === '\\') slashes++;
  if (slashes > 0 && (text[at + slashes] === 'n' || text[at + slashes] === 'r')) return slashes + 1;
  return 0;
}

function spaceAt(text: string, at: number): boolean {
  return text[at] === ' ' || text[at] === '\t';
}

function separatorAt(text: string, at: number): number {
  return spaceAt(text, at) ? 1 : lineBreakAt(text, at);
}

/** Whether what follows a body chunk ends it as a line of a PEM body would be ended. */
function endsChunk(text: string, at: number, length: number): boolean {
  if (at >= text.length || lineBreakAt(text, at) > 0 || text.startsWith('-----', at)) return true;
  const char = text[at];
  if (char === '"' || char === "'" || (char === '\\' && text[at + 1] === '"')) return true;
  return spaceAt(text, at) && length >= SPACED_CHUNK;
}

/** The end of a PEM body that starts at `from`: after its last base64 line. */
function bodyEnd(text: string, from: number): number {
  let end = from;
  ARMOR_HEADER.lastIndex = from;
  while (ARMOR_HEADER.exec(text) !== null) end = ARMOR_HEADER.lastIndex;
  for (;;) {
    let at = end;
    for (let step = separatorAt(text, at); step > 0; step = separatorAt(text, at)) at += step;
    let chunkEnd = at;
    while (chunkEnd < text.length && isBase64(text.charCodeAt(chunkEnd))) chunkEnd++;
    if (chunkEnd === at || !endsChunk(text, chunkEnd, chunkEnd - at)) return end;
    end = chunkEnd;
  }
}

/** Where the body that ends at `to` (an END line) starts, looking back no further than `floor`. */
function bodyStart(text: string, to: number, floor: number): number {
  let start = to;
  for (;;) {
    let at = start;
    while (at > floor) {
      const char = text[at - 1];
      if (char === '\n' || char === '\r' || char === ' ' || char === '\t') at--;
      else if ((char === 'n' || char === 'r') && text[at - 2] === '\\') {
        at--;
        while (at > floor && text[at - 1] === '\\') at--;
      } else break;
    }
    let chunkStart = at;
    while (chunkStart > floor && isBase64(text.charCodeAt(chunkStart - 1))) chunkStart--;
    // `\nMIIE…` escaped: the `n` belongs to the line break, not to the chunk.
    if (text[chunkStart - 1] === '\\' && (text[chunkStart] === 'n' || text[chunkStart] === 'r')) chunkStart++;
    if (chunkStart >= at) return start;
    const before = chunkStart === 0 ? '\n' : (text[chunkStart - 1] as string);
    const opensLine =
      chunkStart <= floor ||
      before === '\n' ||
      before === '\r' ||
      before === '"' ||
      before === "'" ||
      before === '-' ||
      (text[chunkStart - 2] === '\\' && (before === 'n' || before === 'r')) ||
      ((before === ' ' || before === '\t') && at - chunkStart >= SPACED_CHUNK);
    if (!opensLine) return start;
    start = chunkStart;
  }
}

/** Adds the bodies of private keys in `text` (whole or cut) to `spans`. */
export function pemSpans(text: string, spans: Span[]): void {
  let covered = 0;
  for (let at = text.indexOf(BEGIN); at !== -1; at = text.indexOf(BEGIN, Math.max(at + 1, covered))) {
    BEGIN_LABEL.lastIndex = at;
    if (BEGIN_LABEL.exec(text) === null) continue;
    const headerEnd = BEGIN_LABEL.lastIndex;
    const end = bodyEnd(text, headerEnd);
    let footer = end;
    for (let step = separatorAt(text, footer); step > 0; step = separatorAt(text, footer)) footer += step;
    const terminated = text.startsWith(END, footer);
    spans.push([headerEnd, terminated ? footer : end]);
    covered = terminated ? footer : end;
  }
  let floor = 0;
  for (let at = text.indexOf(END); at !== -1; at = text.indexOf(END, at + 1)) {
    END_LABEL.lastIndex = at;
    if (END_LABEL.exec(text) === null) continue;
    const start = bodyStart(text, at, floor);
    if (start < at) spans.push([start, at]);
    floor = END_LABEL.lastIndex;
  }
}
