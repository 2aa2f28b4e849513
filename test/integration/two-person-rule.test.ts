import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebClient } from '@slack/web-api';
import { bindingOf } from '../../src/domain/binding.js';
import type { Actor } from '../../src/domain/commands.js';
import type { LifeboatConfig } from '../../src/domain/config.js';
import { Runbook } from '../../src/domain/runbook.js';
import { handle } from '../../src/engine/handle.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slack/emulator.js';
import { Access } from '../../src/slack/access.js';
import type { RedisStore } from '../../src/store/redis.js';
import { envelope, RESTORE_RUNBOOK, system, T0 } from '../support/incident-fixtures.js';
import { redisStore } from '../support/redis.js';

/** The destructive step alone, so that Run asks for approval at once. */
const runbook = Runbook.parse({
  ...RESTORE_RUNBOOK,
  steps: [{ ...RESTORE_RUNBOOK.steps[1], id: 'restore' }, RESTORE_RUNBOOK.steps[2]],
});

let emulator: SlackEmulator;
let client: WebClient;
const stores: RedisStore[] = [];
beforeAll(async () => {
  emulator = await startSlackEmulator({ userGroups: { sre: ['UALICE', 'UBOB'], 'sre-leads': ['UBOB'] } });
  client = new WebClient('xoxb-two-person', { slackApiUrl: emulator.url, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await emulator.stop();
});

/** Alice asks to run the destructive step; returns a function that makes `user` press Approve. */
async function requested(access: Access): Promise<(user: string) => Promise<{ ok: boolean; code?: string }>> {
  const store = redisStore();
  stores.push(store);
  const alice = await access.actor('UALICE');
  const id = 'two-person';
  await handle(
    store,
    envelope(id, alice, T0, {
      type: 'Declare',
      mode: 'incident',
      summary: 'payments namespace deleted',
      channel: 'C1',
      runbook: { runbook, hash: 'h' },
    }),
  );
  await handle(store, envelope(id, alice, T0, { type: 'SetParams', params: { namespace: 'payments' } }));
  await handle(store, envelope(id, system, T0, { type: 'RecordPrerequisites', checks: [] }));
  const asked = await handle(
    store,
    envelope(id, alice, T0, { type: 'Request', step: 'restore', gate: 'run' }),
  );
  if (!asked.ok || !asked.state) throw new Error('the request was not accepted');
  const binding = bindingOf(asked.state, runbook.steps[0], 'run');
  return async (user) => {
    const actor: Actor = await access.actor(user);
    const answer = await handle(
      store,
      envelope(id, actor, T0 + 1000, { type: 'Approve', step: 'restore', gate: 'run', binding }),
    );
    return answer.ok ? { ok: true } : { ok: false, code: answer.rejection.code };
  };
}

const SHAPES: readonly [string, LifeboatConfig['access'], string, string][] = [
  // [shape, access config, an outsider, an allowed second person]
  ['unset (anyone in the channel)', {}, 'UALICE', 'UMALLORY'],
  ['responders only', { responders: ['UALICE', 'UBOB'] }, 'UMALLORY', 'UBOB'],
  ['approvers only', { approvers: ['UBOB'] }, 'UMALLORY', 'UBOB'],
  ['both', { responders: ['UALICE', 'UCAROL'], approvers: ['UBOB'] }, 'UCAROL', 'UBOB'],
  ['user groups', { responders: ['@sre'], approvers: ['@sre-leads'] }, 'UMALLORY', 'UBOB'],
];

describe('the two-person rule under every access config', () => {
  it.each(SHAPES)(
    '%s: the outsider (or the requester) is refused, the right second person runs it',
    async (_shape, config, outsider, approver) => {
      const approve = await requested(new Access(config, client));
      const refused = await approve(outsider);
      expect(refused.ok).toBe(false);
      expect(['not-an-approver', 'self-approval']).toContain(refused.code);
      expect(await approve(approver)).toEqual({ ok: true });
    },
  );

  it('responders set and approvers unset: a non-responder cannot approve (approvers default to the responders)', async () => {
    const approve = await requested(new Access({ responders: ['UALICE', 'UBOB'] }, client));
    expect(await approve('UMALLORY')).toEqual({ ok: false, code: 'not-an-approver' });
  });
});

describe('group membership while Slack cannot answer', () => {
  it('keeps the last list for a few minutes, then fails closed; and does not ask Slack on every click', async () => {
    let now = T0;
    const access = new Access({ approvers: ['@sre-leads'] }, client, 60_000, () => now);
    expect((await access.actor('UBOB')).memberOf).toContain('approvers');
    const calls = emulator.callsTo('usergroups.list').length;
    const heal = emulator.fail('usergroups.list', { status: 500 });
    try {
      now += 2 * 60_000;
      expect((await access.actor('UBOB')).memberOf).toContain('approvers');
      for (let i = 0; i < 20; i++) await access.actor('UBOB');
      expect(emulator.callsTo('usergroups.list').length - calls).toBe(1);
      now += 60 * 60_000;
      expect((await access.actor('UBOB')).memberOf).not.toContain('approvers');
    } finally {
      heal();
    }
    now += 60_000;
    expect((await access.actor('UBOB')).memberOf).toContain('approvers');
  });
});

describe('outsiders cost nothing', () => {
  it('200 refused clicks by one outsider write one AccessRefused a minute, and each is still answered', async () => {
    const store = redisStore();
    stores.push(store);
    const access = new Access({ responders: ['UALICE', 'UBOB'] }, client);
    const alice = await access.actor('UALICE');
    const mallory = await access.actor('UMALLORY');
    await handle(
      store,
      envelope('noisy', alice, T0, {
        type: 'Declare',
        mode: 'incident',
        summary: 'payments namespace deleted',
        channel: 'C9',
        runbook: { runbook, hash: 'h' },
      }),
    );
    const answers = [];
    for (let i = 0; i < 200; i++)
      answers.push(
        await handle(store, envelope('noisy', mallory, T0 + i * 100, { type: 'AddNote', text: `spam ${i}` })),
      );
    expect(answers.every((a) => !a.ok && a.rejection.code === 'not-a-responder')).toBe(true);
    const refusals = () =>
      store.read('noisy').then((r) => r.events.filter((e) => e.type === 'AccessRefused'));
    expect(await refusals()).toHaveLength(1);
    await handle(store, envelope('noisy', mallory, T0 + 61_000, { type: 'AddNote', text: 'later' }));
    expect(await refusals()).toHaveLength(2);
  });
});
