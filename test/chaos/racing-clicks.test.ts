import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFleet, type Fleet } from '../support/fleet.js';
import { recordReliability } from '../support/reliability.js';
import type { DriverResult } from '../../src/sandbox/slack/driver.js';

const ROUNDS = 50;
const CLICKS = 100;
const AT_ONCE = 2;
const channels = Array.from({ length: ROUNDS }, (_, i) => `C0RACE${String(i).padStart(2, '0')}`);

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ names: ['r1', 'r2', 'r3'], channels });
}, 60_000);
afterAll(() => fleet?.stop());

/**
 * One drill: the destructive step is requested, then 100 clicks race over the three replicas —
 * approvals from two approvers on the current card, and Run on the card as it looked before
 * (a responder whose Slack has not refreshed). Returns how often the command ran and every ack.
 */
async function round(channel: string, index: number): Promise<{ runs: number; acks: DriverResult[] }> {
  const replicas = fleet.replicas();
  const via = (i: number) => replicas[(index + i) % replicas.length]!.slack;
  const hasButton = (text: string) => JSON.stringify(fleet.card(channel)?.blocks ?? []).includes(`"${text}"`);

  await via(0).command('UALICE', 'drill ledger-once', { channel });
  // A copy: the emulator updates messages in place, and this is the card as a stale client still shows it.
  const ready = structuredClone(
    await fleet.until(() => hasButton('Run') && fleet.card(channel), `the Run button in ${channel}`),
  );
  const incidentId = (await fleet.store.openIncidentIn(channel)) ?? '';
  await via(1).click('UALICE', ready, 'Run');
  const gated = await fleet.until(
    () => hasButton('Approve') && fleet.card(channel),
    `approval in ${channel}`,
  );

  const acks = await Promise.all(
    Array.from({ length: CLICKS }, (_, i) => {
      const slack = via(i);
      if (i % 2 === 0) return slack.click('UALICE', ready, 'Run', { asSeen: true });
      return slack.click(i % 4 === 1 ? 'UBOB' : 'UCAROL', gated, 'Approve', { asSeen: true });
    }),
  );
  await fleet.until(
    async () => (await fleet.store.read(incidentId)).events.some((e) => e.type === 'StepFinished'),
    `the step to finish in ${channel}`,
  );
  return { runs: (await fleet.ledger(incidentId)).length, acks };
}

describe('three replicas, one Redis: racing clicks on one destructive step', () => {
  it(`runs the command exactly once in each of ${ROUNDS} rounds of ${CLICKS} concurrent clicks, every click acked within 3 s`, async () => {
    const results: { runs: number; acks: DriverResult[] }[] = [];
    for (let start = 0; start < ROUNDS; start += AT_ONCE) {
      const batch = channels.slice(start, start + AT_ONCE);
      results.push(...(await Promise.all(batch.map((channel, i) => round(channel, start + i)))));
    }
    const acks = results.flatMap((r) => r.acks);
    const slowest = Math.max(...acks.map((a) => a.ms));
    recordReliability({
      scenario: `${CLICKS} concurrent Approve/Run clicks over 3 replicas`,
      runs: ROUNDS,
      failures: results.filter((r) => r.runs !== 1).length + acks.filter((a) => a.status !== 200).length,
      lostEvents: results.filter((r) => r.runs === 0).length,
      duplicateExecutions: results.reduce((sum, r) => sum + Math.max(0, r.runs - 1), 0),
      note: `${acks.length} clicks, slowest ack ${Math.round(slowest)} ms`,
    });
    expect(results.map((r) => r.runs)).toEqual(channels.map(() => 1));
    expect(acks.filter((a) => a.status !== 200)).toEqual([]);
    expect(slowest).toBeLessThan(3000);
  }, 400_000);
});
