import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/cli.js';
import { CHANNEL, startWorld, type World } from '../support/e2e.js';

const PASSWORD = 'Tr0ub4dor-and-3-horses';
const SECRET_RUNBOOK = (marks: string) => `apiVersion: lifeboat/v1
kind: Runbook
id: secret-restore
title: A restore that logs in with a password typed as a parameter
scenario: Secret parameters
targets: { rto: 30m, rpo: 24h }
params:
  dbPassword: { type: string, pattern: '^[A-Za-z0-9-]{8,64}$', prompt: Database password, secret: true }
steps:
  - id: log-in
    title: Log in to the database
    action: shell
    readOnly: true
    with:
      command: [sh, -c, 'printf %s "$PGPASSWORD" > "$1/got"; echo "logging in with $PGPASSWORD"', _, "${marks}"]
      env: { PGPASSWORD: "{{ params.dbPassword }}" }
    restoresService: true
communication:
  - on: restored
    channel: "#status"
    message: "Restored with {{ params.dbPassword }}"
`;

let world: World;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-secret-'));
  const runbooks = path.join(dir, 'runbooks');
  await cp(path.join(ROOT, 'test/fixtures/e2e'), runbooks, { recursive: true });
  await writeFile(path.join(runbooks, 'secret.yaml'), SECRET_RUNBOOK(dir));
  world = await startWorld({ runbooks, env: { LIFEBOAT_SECRET_KEY: randomBytes(32).toString('base64') } });
}, 30_000);
afterAll(async () => {
  await world?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a secret parameter', () => {
  it('reaches the step as typed, and is in no stream entry, post, modal or log line', async () => {
    const { slack, emulator, until, cardText, store, bot } = world;
    await slack.command('UALICE', 'drill secret-restore');
    await until(() => cardText().includes('Set parameters'), 'the parameters button');
    await slack.click(
      'UALICE',
      world.card() ?? (await until(() => world.card(), 'the card')),
      'Set parameters',
    );
    const modal = await until(() => emulator.views('UALICE').find((v) => v.state === 'open'), 'the modal');
    expect(JSON.stringify(modal.view)).toContain('not shown again after you submit it');
    await slack.submitView('UALICE', modal, { dbPassword: PASSWORD });
    await until(() => cardText().includes('"Run"'), 'the step ready to run');
    await slack.click('UALICE', world.card() ?? (await until(() => world.card(), 'the card')), 'Run');
    await until(() => cardText().includes('Resolve'), 'the step passed');
    expect(await readFile(path.join(dir, 'got'), 'utf8')).toBe(PASSWORD);

    const [incident = ''] = (await store.openIncidents()).keys();
    const stream = JSON.stringify((await store.read(incident)).events);
    expect(stream).toContain('sealed:v1:');
    expect(stream).not.toContain(PASSWORD);
    const slackSaw = JSON.stringify([
      emulator.messages(CHANNEL),
      emulator.messages('C0STATUS'),
      emulator.views('UALICE'),
    ]);
    expect(slackSaw).toContain('••••••');
    expect(slackSaw).not.toContain(PASSWORD);
    expect(bot.output()).not.toContain(PASSWORD);
  });
});
