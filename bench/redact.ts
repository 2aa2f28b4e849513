/**
 * bench/redact: the redactor on 1 MiB of adversarial output (each shape also at 256 KiB: linear time
 * gives a ratio near 4, quadratic near 16), and its score on the secret corpus in every sink form.
 * Run: npm run bench:redact
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { redactor } from '../src/engine/redact.js';
import { FORMS, corpus, leaks, nonSecrets, type Form } from '../test/fixtures/secrets/corpus.js';

const MiB = 1024 * 1024;
const RUNS = 5;

/** `unit` repeated to `size` characters. */
function repeat(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}
const base64 = (size: number): string =>
  randomBytes(Math.ceil((size * 3) / 4))
    .toString('base64')
    .slice(0, size);
const lines = (size: number): string => (base64(size).match(/.{1,64}/g) ?? []).join('\n');

const SHAPES: readonly (readonly [string, (size: number) => string])[] = [
  ['PEM BEGIN lines, no END', (size) => repeat('-----BEGIN RSA PRIVATE KEY-----\n', size)],
  [
    'PEM BEGIN + one body line, repeated, no END',
    (size) => repeat(`-----BEGIN PRIVATE KEY-----\n${base64(64)}\n`, size),
  ],
  [
    'PEM END lines, no BEGIN, base64 between',
    (size) => repeat(`${base64(64)}\n-----END RSA PRIVATE KEY-----\n`, size),
  ],
  ['one BEGIN, then 1 MiB of body lines', (size) => `-----BEGIN RSA PRIVATE KEY-----\n${lines(size)}`],
  ['one base64 run, no line breaks', (size) => base64(size)],
  ['base64 lines (64 wide)', lines],
  ['`password=` repeated', (size) => repeat('password=', size)],
  ['`password=x ` repeated', (size) => repeat('password=x ', size)],
  ['`"password": "` unterminated, repeated', (size) => repeat('"password": "', size)],
  ['`\\"token\\":\\"` + backslash runs', (size) => repeat('\\"token\\":\\"\\\\\\\\\\\\', size)],
  ['`eyJ` repeated (JWT starts)', (size) => repeat('eyJ', size)],
  ['`eyJa.eyJb.` repeated', (size) => repeat('eyJaaaaaaaaa.eyJbbbbbbbbb.', size)],
  ['`https://u:` repeated (userinfo starts)', (size) => repeat('https://u:', size)],
  ['`--password ` repeated', (size) => repeat('--password ', size)],
  ['`-u a:` repeated', (size) => repeat('-u a:', size)],
  ['`AKIA` + 16, repeated without spaces', (size) => repeat('AKIAIOSFODNN7EXAMPLE', size)],
  ['one identifier (`a` × 1 MiB)', (size) => repeat('a', size)],
  ['random bytes read as UTF-8', (size) => randomBytes(size).toString('utf8').slice(0, size)],
  ['random bytes read as Latin-1', (size) => randomBytes(size).toString('latin1')],
  ['the corpus repeated (realistic output)', (size) => repeat(corpus.map((s) => s.output).join('\n'), size)],
];

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Wall time, and CPU time of this process: on a shared machine the wall time includes waiting for a core. */
function time(text: string): { median: number; max: number; cpu: number } {
  const redact = redactor(process.env);
  redact(text);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const used = process.cpuUsage();
    redact(text);
    const spent = process.cpuUsage(used);
    wall.push(performance.now() - started);
    cpu.push((spent.user + spent.system) / 1000);
  }
  return { median: median(wall), max: Math.max(...wall), cpu: median(cpu) };
}

console.log(
  `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg()[0]?.toFixed(1)}`,
);
console.log('');
console.log('| 1 MiB of | median ms | max ms | median CPU ms | CPU 1 MiB / 256 KiB |');
console.log('|---|---|---|---|---|');
let worst = 0;
for (const [name, make] of SHAPES) {
  const big = time(make(MiB));
  const small = time(make(MiB / 4));
  worst = Math.max(worst, big.max);
  console.log(
    `| ${name} | ${big.median.toFixed(1)} | ${big.max.toFixed(1)} | ${big.cpu.toFixed(1)} | ${(big.cpu / small.cpu).toFixed(1)} |`,
  );
}
console.log('');
console.log(`slowest 1 MiB: ${worst.toFixed(1)} ms`);
console.log('');

const secrets = corpus.reduce((sum, sample) => sum + sample.secrets.length, 0);
console.log('| form | samples fully redacted | secrets hidden |');
console.log('|---|---|---|');
for (const form of Object.keys(FORMS) as Form[]) {
  const leaked = corpus.map((sample) => leaks(sample, form));
  const clean = leaked.filter((list) => list.length === 0).length;
  const hidden = secrets - leaked.reduce((sum, list) => sum + list.length, 0);
  console.log(`| ${form} | ${clean} / ${corpus.length} | ${hidden} / ${secrets} |`);
  for (const [index, list] of leaked.entries())
    if (list.length > 0) console.log(`|  leaked: ${corpus[index]?.name} | ${list.length} | |`);
}
const redact = redactor({});
const intact = nonSecrets.filter((sample) => redact(sample.output) === sample.output).length;
console.log('');
console.log(`non-secrets left exactly as printed: ${intact} / ${nonSecrets.length}`);
