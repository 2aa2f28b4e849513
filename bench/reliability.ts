import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Prints the chaos and fuzz tests' counts (out/reliability.jsonl) as bench/README.md's Reliability table. */
type Row = {
  scenario: string;
  runs: number;
  failures: number;
  lostEvents: number;
  duplicateExecutions: number;
  note?: string;
};

const file = path.resolve(import.meta.dirname, '../reliability.jsonl');
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Row);
console.log('| scenario | runs | failures | lost events | duplicate executions | notes |');
console.log('|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.scenario} | ${r.runs} | ${r.failures} | ${r.lostEvents} | ${r.duplicateExecutions} | ${r.note ?? ''} |`,
  );
