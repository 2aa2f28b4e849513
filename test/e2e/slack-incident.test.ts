import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CHANNEL, startWorld, type World } from '../support/e2e.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 30_000);
afterAll(() => world?.stop());

describe('an incident from /dr declare to resolve, through Slack', () => {
  it('declares, answers the tree, fills params, runs, enforces two people, verifies, restores and resolves', async () => {
    const { slack, emulator, until, cardText, thread } = world;
    const currentCard = () => until(() => world.card(), 'the incident card');
    const ephemeralsFor = (user: string) => emulator.ephemerals(CHANNEL, user).map((e) => e.text);

    const declared = await slack.command('UALICE', 'declare payments namespace deleted');
    expect(declared.status).toBe(200);
    expect(declared.ms).toBeLessThan(3000);
    await until(() => cardText().includes('What is failing?'), 'the first question on the card');

    await slack.click('UALICE', await currentCard(), 'A namespace was deleted');
    const modal = await until(
      () => emulator.views('UALICE').find((v) => v.state === 'open'),
      'the parameters modal',
    );
    const invalid = await slack.submitView('UALICE', modal, { namespace: 'Payments; rm -rf /' });
    expect(JSON.stringify(invalid.json)).toMatch(/Kubernetes name/);
    await slack.submitView('UALICE', modal, { namespace: 'payments' });

    await until(
      () => cardText().includes('Confirm the namespace is gone') && cardText().includes('"Run"'),
      'the first step, ready to run',
    );
    await slack.click('UALICE', await currentCard(), 'Run');
    await until(() => cardText().includes('Next: Restore the namespace'), 'the destructive step');

    await slack.click('UALICE', await currentCard(), 'Run');
    await until(() => cardText().includes('"Approve"'), 'approval buttons');
    await slack.click('UALICE', await currentCard(), 'Approve');
    await until(
      () => ephemeralsFor('UALICE').find((t) => t.includes('someone else must approve')),
      'the self-approval refusal',
    );
    await slack.click('UMALLORY', await currentCard(), 'Approve');
    await until(
      () =>
        ephemeralsFor('UMALLORY').find((t) =>
          t.includes('Only approvers may approve this. Ask an approver: <@UALICE>, <@UBOB>.'),
        ),
      'the outsider refusal',
    );
    await slack.click('UBOB', await currentCard(), 'Approve');

    await until(() => cardText().includes('Next: The application serves traffic'), 'the restore to finish');
    await slack.click('UBOB', await currentCard(), 'Run');
    await until(() => cardText().includes('restored'), 'service restored on the card');
    await until(
      () => thread().some((m) => m.text.includes('Service restored')),
      'the restored entry in the thread',
    );
    await until(
      () => emulator.messages('C0STATUS').find((m) => m.text === 'payments is restored.'),
      'the status update of the communication plan',
    );

    const resolved = await slack.command('UALICE', 'resolve');
    expect(resolved.status).toBe(200);
    await until(() => cardText().includes('Resolved'), 'the card to say resolved');

    const lines = thread().map((m) => m.text);
    expect(lines.some((l) => l.includes('declared an incident: payments namespace deleted'))).toBe(true);
    expect(lines.some((l) => l.includes('<@UBOB> approved running *Restore the namespace*'))).toBe(true);
    expect(lines.some((l) => l.includes('Verify The restore left its record'))).toBe(true);
    expect(lines.at(-1)).toMatch(/resolved the incident/);
    // Every event once, in order: the clock stamps never go backwards and no line repeats.
    const stamps = lines.map((l) => /`(\d\d:\d\d:\d\d)`/.exec(l)?.[1] ?? '');
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(lines).size).toBe(lines.length);
  }, 60_000);
});
