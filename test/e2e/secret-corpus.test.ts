import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ROOT } from '../support/cli.js';
import { CHANNEL, startWorld, type World } from '../support/e2e.js';
import { corpus } from '../fixtures/secrets/corpus.js';

/** The corpus as real steps print it: every sample whose secret shows in the output or is one of the bot's own secret env vars. */
const samples = corpus.filter((s) => (s.values ?? []).length === 0);
const env = Object.assign({}, ...samples.map((s) => s.env ?? {})) as Record<string, string>;
const secrets = samples.flatMap((s) => s.secrets);

/** A secret counts as leaked in the forms a sink escapes it to, too. */
const leaked = (text: string): string[] =>
  secrets.filter((secret) => {
    const once = JSON.stringify(secret).slice(1, -1);
    return [secret, once, JSON.stringify(once).slice(1, -1)].some((form) => text.includes(form));
  });

const runbook = (file: string) =>
  stringify({
    apiVersion: 'lifeboat/v1',
    kind: 'Runbook',
    id: 'leaky-corpus',
    title: 'Steps that print every kind of secret',
    scenario: 'The secret corpus through real steps',
    targets: { rto: '30m', rpo: '24h' },
    steps: [
      {
        id: 'prints',
        title: 'Print them and pass',
        action: 'shell',
        readOnly: true,
        with: { command: ['cat', file] },
      },
      {
        id: 'prints-and-fails',
        title: 'Print them and fail',
        action: 'shell',
        readOnly: true,
        with: { command: ['cat', file] },
        // A failed expect quotes the output JSON-escaped: the form that defeated quote-based patterns.
        expect: { stdout: { contains: 'this text is never printed' } },
        restoresService: true,
      },
    ],
  });

let world: World;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-corpus-'));
  const runbooks = path.join(dir, 'runbooks');
  await cp(path.join(ROOT, 'test/fixtures/e2e'), runbooks, { recursive: true });
  const file = path.join(dir, 'corpus.txt');
  await writeFile(file, samples.map((s) => s.output).join('\n'));
  await writeFile(path.join(runbooks, 'leaky-corpus.yaml'), runbook(file));
  // The samples' env values are the bot's own secrets (a database password it was given), not the runbook's.
  world = await startWorld({ runbooks, env: { LOG_LEVEL: 'debug', ...env } });
}, 30_000);
afterAll(async () => {
  await world?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the secret corpus through real steps', () => {
  it(`hides all ${secrets.length} secrets of ${samples.length} samples in Redis, in Slack and in the log, passing and failing`, async () => {
    const { slack, emulator, until, cardText, store, bot } = world;
    expect(samples.length).toBeGreaterThanOrEqual(40);
    await slack.command('UALICE', 'drill leaky-corpus');
    await until(() => cardText().includes('Next: Print them and pass'), 'the first step');
    await slack.click('UALICE', world.card() ?? (await until(() => world.card(), 'the card')), 'Run');
    await until(() => cardText().includes('Next: Print them and fail'), 'the second step');
    await slack.click('UALICE', world.card() ?? (await until(() => world.card(), 'the card')), 'Run');
    await until(() => cardText().includes('"Retry"'), 'the failed step', 30_000);
    const [incident = ''] = (await store.openIncidents()).keys();
    await until(
      () => world.thread().some((m) => m.text.includes('Print them and fail')),
      'the failure in the thread',
    );

    const sinks = {
      redis: JSON.stringify((await store.read(incident)).events),
      slack: JSON.stringify([
        emulator.messages(CHANNEL),
        world.thread(),
        emulator.files().map((f) => f.bytes?.toString('utf8') ?? ''),
      ]),
      log: bot.output(),
    };
    expect(sinks.redis).toContain('[REDACTED]');
    expect({ redis: leaked(sinks.redis), slack: leaked(sinks.slack), log: leaked(sinks.log) }).toEqual({
      redis: [],
      slack: [],
      log: [],
    });
  }, 60_000);
});
