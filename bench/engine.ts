/**
 * bench/engine: handle() against the real Redis. Closed loop at 1, 10 and 100 concurrent incidents
 * (throughput), open loop at a steady click rate over 100 open incidents (latency as responders see
 * it), and the read of a 1,000-event incident, cold and cached. Run: npm run bench:engine
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { Actor } from '../src/domain/commands.js';
import type { IncidentEvent } from '../src/domain/events.js';
import { handle } from '../src/engine/handle.js';
import { StateCache } from '../src/engine/state-cache.js';
import { RedisStore } from '../src/store/redis.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `lifeboat-bench:${randomBytes(4).toString('hex')}:`;
const store = new RedisStore(url, { prefix });
const cache = new StateCache();
const alice: Actor = { id: 'UALICE', memberOf: ['responders', 'approvers'] };
let keyCounter = 0;

const ms = (n: number): string => n.toFixed(2);
function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function declare(ids: string[]): Promise<void> {
  await Promise.all(
    ids.map((id) =>
      handle(
        store,
        {
          incidentId: id,
          actor: alice,
          now: Date.now(),
          command: { type: 'Declare', mode: 'drill', summary: 'bench', channel: `C-${id}` },
        },
        { cache },
      ),
    ),
  );
}

async function note(id: string): Promise<number> {
  const started = performance.now();
  const result = await handle(
    store,
    { incidentId: id, actor: alice, now: Date.now(), command: { type: 'AddNote', text: 'status update' } },
    { idempotencyKey: `k${keyCounter++}`, cache },
  );
  if (!result.ok) throw new Error(result.rejection.message);
  return performance.now() - started;
}

async function closedLoop(count: number, commandsEach: number): Promise<string> {
  const ids = Array.from({ length: count }, (_, i) => `closed-${count}-${i}`);
  await declare(ids);
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    ids.map(async (id) => {
      for (let i = 0; i < commandsEach; i++) latencies.push(await note(id));
    }),
  );
  const perSecond = latencies.length / ((performance.now() - started) / 1000);
  return `| ${count} | ${latencies.length} | ${perSecond.toFixed(0)} | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 99))} |`;
}

/** Commands arrive at `rate` per second, spread over `count` incidents, whatever the latency. */
async function openLoop(count: number, rate: number, seconds: number): Promise<string> {
  const ids = Array.from({ length: count }, (_, i) => `open-${count}-${i}`);
  await declare(ids);
  const pending: Promise<number>[] = [];
  const started = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(note(ids[i % count] ?? 'open-0'));
  }
  const latencies = await Promise.all(pending);
  return `| ${count} | ${rate}/s for ${seconds}s | ${latencies.length} | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 99))} | ${ms(Math.max(...latencies))} |`;
}

async function bigIncident(): Promise<string> {
  const id = 'big';
  const events: IncidentEvent[] = [
    { type: 'IncidentDeclared', mode: 'drill', summary: 'big', channel: 'CBIG', at: 0, by: 'UALICE' },
  ];
  for (let i = 1; i < 1000; i++)
    events.push({ type: 'NoteAdded', text: `note ${i} ${'x'.repeat(80)}`, at: i, by: 'UALICE' });
  for (let i = 0; i < events.length; i += 100)
    await store.append(id, i, events.slice(i, i + 100), { outcome: { ok: true, eventTypes: [] } });
  const cold: number[] = [];
  const warm: number[] = [];
  const warmCache = new StateCache();
  for (let i = 0; i < 100; i++) {
    let t = performance.now();
    const { state } = await new StateCache().load(store, id);
    cold.push(performance.now() - t);
    if (state?.version !== 1000) throw new Error('bad read');
    t = performance.now();
    await warmCache.load(store, id);
    warm.push(performance.now() - t);
  }
  return [
    `| 1,000 events, cold (read all, fold) | ${ms(percentile(cold, 50))} | ${ms(percentile(cold, 99))} |`,
    `| 1,000 events, cached (read what is new) | ${ms(percentile(warm, 50))} | ${ms(percentile(warm, 99))} |`,
  ].join('\n');
}

async function main(): Promise<void> {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, redis ${url}\n`,
  );
  await closedLoop(10, 100); // warm-up: JIT, script cache, connections
  console.log(
    '| concurrent incidents (closed loop) | commands | commands/s | p50 ms | p99 ms |\n|---|---|---|---|---|',
  );
  for (const [count, each] of [
    [1, 1000],
    [10, 200],
    [100, 30],
  ] as const)
    console.log(await closedLoop(count, each));
  console.log(
    '\n| open incidents (open loop) | arrival | commands | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|',
  );
  for (const rate of [100, 500]) console.log(await openLoop(100, rate, 5));
  console.log('\n| read + fold | p50 ms | p99 ms |\n|---|---|---|');
  console.log(await bigIncident());
  const redis = new Redis(url);
  for (let cursor = '0'; ;) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    if ((cursor = next) === '0') break;
  }
  redis.disconnect();
  await store.close();
}

await main();
