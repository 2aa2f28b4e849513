import { z } from 'zod';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
type Unit = keyof typeof UNIT_SECONDS;

export const DURATION_PATTERN = /^([1-9][0-9]*)(s|m|h|d)$/;

/** A duration as runbooks write it: `90s`, `15m`, `4h`, `7d`. */
export const Duration = z
  .string()
  .regex(DURATION_PATTERN, { message: 'expected a duration such as 90s, 15m, 4h or 7d' });

/** Seconds in a duration string; throws on a malformed one (validate with `Duration` first). */
export function durationSeconds(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new Error(`not a duration: ${JSON.stringify(text)} (write e.g. 90s, 15m, 4h, 7d)`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as Unit];
}

/** `5400` → `1h30m`; the largest two units, for people reading a clock under stress. */
export function formatSeconds(total: number): string {
  const seconds = Math.max(0, Math.round(total));
  if (seconds < 60) return `${seconds}s`;
  const parts: string[] = [];
  let rest = seconds;
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_SECONDS[unit];
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.slice(0, 2).join('');
}
