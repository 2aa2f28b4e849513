import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli.js';

export type ReliabilityRow = {
  readonly scenario: string;
  readonly runs: number;
  readonly failures: number;
  readonly lostEvents: number;
  readonly duplicateExecutions: number;
  readonly note?: string;
};

/** Where the chaos tests leave their counts; `npm run chaos` prints them as bench/README.md's table. */
export const RELIABILITY_FILE = path.join(ROOT, 'out', 'reliability.jsonl');

export function recordReliability(row: ReliabilityRow): void {
  mkdirSync(path.dirname(RELIABILITY_FILE), { recursive: true });
  appendFileSync(RELIABILITY_FILE, `${JSON.stringify({ ...row, at: new Date().toISOString() })}\n`);
}
