import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startBot, type Bot } from '../support/bot.js';
import { ROOT } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { deletePrefix, REDIS_URL, testPrefix } from '../support/redis.js';
import { startSlackEmulator, type Message, type SlackEmulator } from '../support/slack/emulator.js';
import { slackDriver, type SlackDriver } from '../support/slack/driver.js';

const SECRET = 'e2e-signing-secret-0123456789';
const CHANNEL = 'C0INCIDENT';
let emulator: SlackEmulator;
let bot: Bot;
let slack: SlackDriver;
let prefix: string;
let workdir: string;

beforeAll(async () => {
  emulator = await startSlackEmulator({ channels: [{ id: 'C0STATUS', name: 'status' }] });
  prefix = testPrefix();
  workdir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-e2e-'));
  const config = path.join(workdir, 'lifeboat.yaml');
  await writeFile(config, 'access:\n  approvers: [UALICE, UBOB]\n');
  bot = await startBot({
    SLACK_BOT_TOKEN: 'xoxb-e2e-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: emulator.url,
    REDIS_URL,
    LIFEBOAT_REDIS_PREFIX: prefix,
    LIFEBOAT_RUNBOOKS: path.join(ROOT, 'test/fixtures/e2e'),
    LIFEBOAT_CONFIG: config,
    LIFEBOAT_WORKDIR: path.join(workdir, 'work'),
  });
  slack = slackDriver({ botUrl: bot.eventsUrl, signingSecret: SECRET, emulator });
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await emulator?.stop();
  await deletePrefix(prefix);
  await rm(workdir, { recursive: true, force: true });
});

const card = (): Message | undefined =>
  emulator.messages(CHANNEL).find((m) => m.thread_ts === undefined && m.text.includes('INCIDENT'));
const cardText = (): string => JSON.stringify(card()?.blocks ?? []);
const thread = (): readonly Message[] => {
  const c = card();
  return c ? emulator.replies(CHANNEL, c.ts).filter((m) => m.ts !== c.ts) : [];
};
const until = <T>(check: () => T | undefined | false, what: string) =>
  eventually(() => Promise.resolve(check()), what, 15_000).catch((error: unknown) => {
    const seen = JSON.stringify(emulator.ephemerals(CHANNEL).map((e) => e.text));
    throw new Error(
      `${(error as Error).message}\nephemerals: ${seen}\nbot: ${bot.output()}\ncard: ${cardText()}`,
    );
  });
const currentCard = (): Promise<Message> => until(() => card(), 'the incident card');
const ephemeralsFor = (user: string) => emulator.ephemerals(CHANNEL, user).map((e) => e.text);

describe('an incident from /dr declare to resolve, through Slack', () => {
  it('declares, answers the tree, fills params, runs, enforces two people, verifies, restores and resolves', async () => {
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
