/** Spans of a text to hide, collected by every detector and applied once. */

export const MASK = '[REDACTED]';

/** A half-open span [start, end) of the text. */
export type Span = readonly [start: number, end: number];

/** The text with every span (merged where they touch or overlap) replaced by one mask. */
export function applySpans(text: string, spans: Span[]): string {
  if (spans.length === 0) return text;
  const sorted = spans.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const parts: string[] = [];
  let written = 0;
  let index = 0;
  while (index < sorted.length) {
    const [start] = sorted[index] as Span;
    let end = (sorted[index] as Span)[1];
    index++;
    while (index < sorted.length && (sorted[index] as Span)[0] <= end) {
      end = Math.max(end, (sorted[index] as Span)[1]);
      index++;
    }
    if (start < written) continue;
    parts.push(text.slice(written, start), MASK);
    written = end;
  }
  parts.push(text.slice(written));
  return parts.join('');
}
