import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFleet, type Fleet, type Replica } from '../support/fleet.js';
import { privateRedis } from '../support/redis.js';
import { recordReliability } from '../support/reliability.js';

const CHANNEL = 'C0REDISDOWN';
const OUTAGE_MS = 10_000;

let redis: Awaited<ReturnType<typeof privateRedis>>;
let fleet: Fleet;
beforeAll(async () => {
  redis = await privateRedis();
  fleet = await startFleet({
    names: ['r1', 'r2'],
    channels: [CHANNEL],
    redisUrl: redis.url,
    env: { LIFEBOAT_LEASE: '3s' },
  });
}, 60_000);
afterAll(async () => {
  redis?.resume();
  await fleet?.stop();
  await redis?.stop();
});

const readyz = async (url: string): Promise<{ status: number; ms: number }> => {
  const started = performance.now();
  const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, ms: performance.now() - started };
};

describe('the state store goes away mid-incident', () => {
  it('answers clicks and commands within 3 s with "state store" while Redis hangs for 10 s, fails /readyz, then carries on through an AOF restart with nothing lost', async () => {
    const { emulator } = fleet;
    const [r1, r2] = fleet.replicas() as [Replica, Replica];
    const cardText = () => JSON.stringify(fleet.card(CHANNEL)?.blocks ?? []);
    const said = (user: string) => emulator.ephemerals(CHANNEL, user).map((e) => e.text);
    await r1.slack.command('UALICE', 'drill ledger-once', { channel: CHANNEL });
    const ready = await fleet.until(
      () => cardText().includes('"Run"') && fleet.card(CHANNEL),
      'the Run button',
    );
    const incidentId = (await fleet.store.openIncidentIn(CHANNEL)) ?? '';

    redis.pause();
    const stalledAt = Date.now();
    const click = await r1.slack.click('UALICE', ready, 'Run');
    const status = await r2.slack.command('UBOB', 'status', { channel: CHANNEL });
    const health = await Promise.all(fleet.replicas().map((r) => readyz(r.bot.url)));
    await fleet.until(() => said('UALICE').some((t) => t.includes('state store')), 'the click answered');
    await fleet.until(() => said('UBOB').some((t) => t.includes('state store')), 'the command answered');
    const answeredWithin = Date.now() - stalledAt;
    expect([click.status, status.status]).toEqual([200, 200]);
    expect(Math.max(click.ms, status.ms)).toBeLessThan(3000);
    expect(health.map((h) => h.status)).toEqual([503, 503]);
    expect(Math.max(...health.map((h) => h.ms))).toBeLessThan(3000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - stalledAt))));
    redis.resume();

    await fleet.until(async () => (await readyz(r1.bot.url)).status === 200, '/readyz to pass again');
    // The click may have landed when Redis woke up; clicking again is safe either way.
    if (!cardText().includes('"Approve"')) await r2.slack.click('UALICE', fleet.card(CHANNEL)!, 'Run');
    await fleet.until(() => cardText().includes('"Approve"'), 'the approval buttons');
    await r1.slack.click('UBOB', fleet.card(CHANNEL)!, 'Approve');
    await fleet.until(async () => (await fleet.ledger(incidentId)).length === 1, 'the step to run');

    await redis.restart();
    await r2.slack.command('UBOB', 'note after the restart', { channel: CHANNEL });
    await fleet.until(
      () => fleet.thread(CHANNEL).some((m) => m.text.includes('after the restart')),
      'the note after the restart in the thread',
    );
    await fleet.until(() => cardText().includes('"Resolve"'), 'the Resolve button');
    await r1.slack.click('UALICE', fleet.card(CHANNEL)!, 'Resolve');
    await fleet.until(
      () => fleet.thread(CHANNEL).some((m) => /Drill (passed|failed)/.test(m.text)),
      'the verdict',
    );

    const events = (await fleet.store.read(incidentId)).events;
    const lines = await fleet.until(() => {
      const posted = fleet.thread(CHANNEL).filter((m) => m.text.startsWith('`'));
      return posted.length >= events.length && posted.map((m) => m.text);
    }, 'one thread line per event');
    const runs = (await fleet.ledger(incidentId)).length;
    recordReliability({
      scenario: 'Redis hangs 10 s, then restarts (AOF), mid-incident',
      runs: 1,
      failures: Number(runs !== 1) + Number(lines.length !== events.length),
      lostEvents: Math.max(0, events.length - lines.length),
      duplicateExecutions: Math.max(0, runs - 1),
      note: `click and command answered "state store …" ${Math.round(answeredWithin / 100) / 10} s into the hang; /readyz 503`,
    });
    expect(runs).toBe(1);
    expect(lines).toHaveLength(events.length);
    expect(new Set(lines).size).toBe(lines.length);
  }, 120_000);
});
