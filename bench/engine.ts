/**
 * bench/engine: commands per second and latency of handle() against the real Redis, with 1, 10 and
 * 100 concurrent incidents, and the read of a 1,000-event incident. Run: npm run bench:engine
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { Actor } from '../src/domain/commands.js';
import type { IncidentEvent } from '../src/domain/events.js';
import { replay } from '../src/domain/incident.js';
import { handle } from '../src/engine/handle.js';
import { RedisStore } from '../src/store/redis.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `lifeboat-bench:${randomBytes(4).toString('hex')}:`;
const store = new RedisStore(url, prefix);
const alice: Actor = { id: 'UALICE', memberOf: ['responders', 'approvers'] };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function concurrentIncidents(count: number, commandsEach: number): Promise<string> {
  const ids = Array.from({ length: count }, (_, i) => `bench-${count}-${i}`);
  await Promise.all(
    ids.map((id) =>
      handle(store, {
        incidentId: id,
        actor: alice,
        now: Date.now(),
        command: { type: 'Declare', mode: 'drill', summary: 'bench', channel: `C${id}` },
      }),
    ),
  );
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    ids.map(async (id) => {
      for (let i = 0; i < commandsEach; i++) {
        const t = performance.now();
        const result = await handle(
          store,
          { incidentId: id, actor: alice, now: Date.now(), command: { type: 'AddNote', text: `note ${i}` } },
          `k${i}`,
        );
        latencies.push(performance.now() - t);
        if (!result.ok) throw new Error(result.rejection.message);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return `| ${count} | ${latencies.length} | ${(latencies.length / seconds).toFixed(0)} | ${percentile(latencies, 50).toFixed(2)} | ${percentile(latencies, 99).toFixed(2)} |`;
}

async function bigIncidentRead(): Promise<string> {
  const id = 'bench-big';
  const events: IncidentEvent[] = [
    { type: 'IncidentDeclared', mode: 'drill', summary: 'big', channel: 'CBIG', at: 0, by: 'UALICE' },
  ];
  for (let i = 1; i < 1000; i++)
    events.push({ type: 'NoteAdded', text: `note ${i} ${'x'.repeat(80)}`, at: i, by: 'UALICE' });
  for (let i = 0; i < events.length; i += 100)
    await store.append(id, i, events.slice(i, i + 100), { outcome: { ok: true, eventTypes: [] } });
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    const state = replay(id, (await store.read(id)).events);
    times.push(performance.now() - t);
    if (state?.version !== 1000) throw new Error('bad read');
  }
  times.sort((a, b) => a - b);
  return `| 1,000 events | ${percentile(times, 50).toFixed(2)} | ${percentile(times, 99).toFixed(2)} |`;
}

async function main(): Promise<void> {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, redis ${url}`,
  );
  console.log('| concurrent incidents | commands | commands/s | p50 ms | p99 ms |\n|---|---|---|---|---|');
  for (const [count, each] of [
    [1, 500],
    [10, 100],
    [100, 20],
  ] as const)
    console.log(await concurrentIncidents(count, each));
  console.log('\n| read + fold | p50 ms | p99 ms |\n|---|---|---|');
  console.log(await bigIncidentRead());
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await store.close();
}

await main();
