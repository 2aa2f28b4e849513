import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebClient } from '@slack/web-api';
import { bindingOf } from '../../src/domain/binding.js';
import { Runbook } from '../../src/domain/runbook.js';
import { handle } from '../../src/engine/handle.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slack/emulator.js';
import { Access } from '../../src/slack/access.js';
import { MemoryStore } from '../../src/store/memory.js';
import { envelope, RESTORE_RUNBOOK, T0 } from '../support/incident-fixtures.js';

let emulator: SlackEmulator;
let client: WebClient;
beforeAll(async () => {
  emulator = await startSlackEmulator({
    userGroups: { 'sre-leads': ['UBOB'], sre: ['UALICE', 'UBOB', 'UCAROL'] },
  });
  client = new WebClient('xoxb-access-test', { slackApiUrl: emulator.url, retryConfig: { retries: 0 } });
});
afterAll(() => emulator.stop());

describe('access by Slack user id and @user-group', () => {
  it('resolves responders and approvers through usergroups.list, and caches the answer', async () => {
    const access = new Access({ responders: ['@sre'], approvers: ['@sre-leads'] }, client);
    expect(await access.actor('UBOB')).toEqual({
      id: 'UBOB',
      memberOf: ['@sre-leads', '@sre', 'responders', 'approvers'],
    });
    expect(await access.actor('UALICE')).toEqual({ id: 'UALICE', memberOf: ['@sre', 'responders'] });
    expect(await access.actor('UMALLORY')).toEqual({ id: 'UMALLORY', memberOf: [] });
    expect(emulator.callsTo('usergroups.list')).toHaveLength(1);
    expect(access.approvers()).toBe('@sre-leads');
  });

  it('with no lists configured, anyone responds and approves, and the two-person rule still holds', async () => {
    const access = new Access({}, client);
    const alice = await access.actor('UALICE');
    expect(alice.memberOf).toEqual(expect.arrayContaining(['responders', 'approvers']));
    const store = new MemoryStore();
    const runbook = Runbook.parse({
      ...RESTORE_RUNBOOK,
      steps: [{ ...RESTORE_RUNBOOK.steps[1], id: 'restore' }, RESTORE_RUNBOOK.steps[2]],
    });
    await handle(
      store,
      envelope('i', alice, T0, {
        type: 'Declare',
        mode: 'incident',
        summary: 's',
        channel: 'C',
        runbook: { runbook, hash: 'h' },
      }),
    );
    await handle(store, envelope('i', alice, T0, { type: 'SetParams', params: { namespace: 'payments' } }));
    await handle(
      store,
      envelope('i', { id: 'lifeboat', memberOf: [] }, T0, { type: 'RecordPrerequisites', checks: [] }),
    );
    const requested = await handle(
      store,
      envelope('i', alice, T0, { type: 'Request', step: 'restore', gate: 'run' }),
    );
    const binding =
      requested.ok && requested.state ? bindingOf(requested.state, runbook.steps[0], 'run') : '';
    expect(
      await handle(
        store,
        envelope('i', alice, T0, { type: 'Approve', step: 'restore', gate: 'run', binding }),
      ),
    ).toMatchObject({ ok: false, rejection: { code: 'self-approval' } });
    const bob = await access.actor('UBOB');
    expect(
      await handle(store, envelope('i', bob, T0, { type: 'Approve', step: 'restore', gate: 'run', binding })),
    ).toMatchObject({ ok: true });
  });

  it('a runbook can require a specific @group: someone outside it is refused even as an approver', async () => {
    const access = new Access({}, client);
    const runbook = Runbook.parse({
      ...RESTORE_RUNBOOK,
      steps: [
        { ...RESTORE_RUNBOOK.steps[1], approval: { count: 1, from: ['@sre-leads'] } },
        RESTORE_RUNBOOK.steps[2],
      ],
    });
    const store = new MemoryStore();
    const alice = await access.actor('UALICE');
    await handle(
      store,
      envelope('j', alice, T0, {
        type: 'Declare',
        mode: 'incident',
        summary: 's',
        channel: 'C',
        runbook: { runbook, hash: 'h' },
      }),
    );
    await handle(store, envelope('j', alice, T0, { type: 'SetParams', params: { namespace: 'payments' } }));
    await handle(
      store,
      envelope('j', { id: 'lifeboat', memberOf: [] }, T0, { type: 'RecordPrerequisites', checks: [] }),
    );
    const requested = await handle(
      store,
      envelope('j', alice, T0, { type: 'Request', step: 'restore', gate: 'run' }),
    );
    const binding =
      requested.ok && requested.state ? bindingOf(requested.state, runbook.steps[0], 'run') : '';
    const carol = await access.actor('UCAROL');
    expect(
      await handle(
        store,
        envelope('j', carol, T0, { type: 'Approve', step: 'restore', gate: 'run', binding }),
      ),
    ).toMatchObject({ ok: false, rejection: { code: 'not-an-approver' } });
    const bob = await access.actor('UBOB');
    expect(
      await handle(store, envelope('j', bob, T0, { type: 'Approve', step: 'restore', gate: 'run', binding })),
    ).toMatchObject({ ok: true });
  });
});
