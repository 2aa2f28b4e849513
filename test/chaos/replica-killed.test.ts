import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFleet, type Fleet } from '../support/fleet.js';
import { recordReliability } from '../support/reliability.js';

/** Each drill ends differently after its replica dies: a retry, a skip, a rollback, an automatic re-run. */
const DRILLS = [
  { channel: 'C0KILLRETRY', runbook: 'long-step' },
  { channel: 'C0KILLSKIP', runbook: 'long-step' },
  { channel: 'C0KILLROLLBACK', runbook: 'long-step' },
  { channel: 'C0KILLIDEMPOTENT', runbook: 'long-idempotent' },
] as const;
const LEASE_MS = 3000;

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({
    names: ['r1', 'r2', 'r3'],
    channels: DRILLS.map((d) => d.channel),
    env: { LIFEBOAT_LEASE: `${LEASE_MS / 1000}s` },
  });
}, 60_000);
afterAll(() => fleet?.stop());

describe('kill -9 the replica running a long step', () => {
  it('another replica reports it interrupted within the lease, never re-runs it unless idempotent, and retry, skip and rollback work', async () => {
    const cardOf = (channel: string) => JSON.stringify(fleet.card(channel)?.blocks ?? []);
    const slack = () => fleet.replicas()[0]!.slack;
    const ids: string[] = [];
    for (const { channel, runbook } of DRILLS) {
      await slack().command('UALICE', `drill ${runbook}`, { channel });
      const card = await fleet.until(() => cardOf(channel).includes('"Run"') && fleet.card(channel), 'Run');
      ids.push((await fleet.store.openIncidentIn(channel)) ?? '');
      await slack().click('UALICE', card, 'Run');
    }
    // The command itself says which process ran it: its parent is the replica.
    const starts = await fleet.until(async () => {
      const lines = await Promise.all(ids.map((id) => fleet.ledger(id)));
      return lines.every((l) => l.length === 1) && lines.map((l) => Number(l[0]?.split(' ')[1]));
    }, 'every long step to start');
    const runners = fleet.replicas().filter((r) => starts.includes(r.bot.pid));
    const killedAt = Date.now();
    for (const runner of runners) await fleet.kill(runner.name);
    for (const runner of runners) await fleet.add(`${runner.name}-replacement`);

    const interrupted = (channel: string) =>
      fleet.thread(channel).filter((m) => m.text.includes('interrupted')).length;
    for (const { channel } of DRILLS)
      await fleet.until(() => interrupted(channel) > 0, `"interrupted" in ${channel}`, 4 * LEASE_MS + 10_000);
    const reportedWithin = Date.now() - killedAt;

    const [retry, skip, rollback, idempotent] = DRILLS.map((d) => d.channel) as [
      string,
      string,
      string,
      string,
    ];
    const [retryId, skipId, rollbackId, idempotentId] = ids as [string, string, string, string];
    // The idempotent step is re-run by itself; the others wait for a person.
    await fleet.until(async () => (await fleet.ledger(idempotentId)).length === 2, 'the idempotent re-run');
    await fleet.until(() => cardOf(idempotent).includes('Next: Carry on'), 'the idempotent drill to move on');
    for (const channel of [retry, skip, rollback]) {
      const buttons = cardOf(channel);
      for (const label of ['"Retry"', '"Skip"', '"Rollback"']) expect(buttons).toContain(label);
    }
    for (const id of [retryId, skipId, rollbackId]) expect(await fleet.ledger(id)).toHaveLength(1);

    await slack().click('UALICE', fleet.card(retry)!, 'Retry');
    await fleet.until(() => cardOf(retry).includes('Next: Carry on'), 'the retried step to pass');
    await slack().click('UALICE', fleet.card(skip)!, 'Skip');
    await fleet.until(() => cardOf(skip).includes('"Approve"'), 'the skip to ask for approval');
    await slack().click('UBOB', fleet.card(skip)!, 'Approve');
    await fleet.until(() => cardOf(skip).includes('Next: Carry on'), 'the skipped step');
    await slack().click('UALICE', fleet.card(rollback)!, 'Rollback');
    await fleet.until(
      async () => (await fleet.ledger(rollbackId)).includes('rollback'),
      'the rollback to run',
    );

    const startsOf = async (id: string) =>
      (await fleet.ledger(id)).filter((l) => l.startsWith('start')).length;
    const runs = {
      retry: await startsOf(retryId),
      skip: await startsOf(skipId),
      rollback: await startsOf(rollbackId),
    };
    const posts = DRILLS.map((d) => interrupted(d.channel));
    recordReliability({
      scenario: 'kill -9 the replica running a long step',
      runs: DRILLS.length,
      failures: posts.filter((n) => n !== 1).length,
      lostEvents: posts.filter((n) => n === 0).length,
      duplicateExecutions: runs.retry - 2 + (runs.skip - 1) + (runs.rollback - 1),
      note: `${runners.length} replica(s) killed; "interrupted" posted within ${Math.round(reportedWithin / 1000)} s (lease ${LEASE_MS / 1000} s)`,
    });
    expect(runs).toEqual({ retry: 2, skip: 1, rollback: 1 });
    expect(posts).toEqual([1, 1, 1, 1]);
  }, 120_000);
});
