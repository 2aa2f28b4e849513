import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/cli.js';
import { CHANNEL, SECRET, startWorld, type World } from '../support/e2e.js';

const TOKEN = 'tok-s3cret-0a1b2c3d4e';
const LEAKY = `apiVersion: lifeboat/v1
kind: Runbook
id: leaky-restore
title: Restore with a step that prints its credentials
scenario: A step that echoes a secret from its environment and fails
targets: { rto: 30m, rpo: 24h }
params:
  namespace: { type: k8sName, prompt: Namespace to restore }
steps:
  - id: print-credentials
    title: Log in to the backup store
    action: shell
    readOnly: true
    with:
      command: [sh, -c, 'echo "logging in to $1 with $API_TOKEN"; echo "denied: $API_TOKEN is revoked" >&2; exit 3', _, "{{ params.namespace }}"]
      env: { API_TOKEN: "${TOKEN}" }
    expect: { exitCode: 0 }
    restoresService: true
`;

let world: World;
let runbooks: string;
beforeAll(async () => {
  runbooks = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-logs-'));
  await cp(path.join(ROOT, 'test/fixtures/e2e'), runbooks, { recursive: true });
  await writeFile(path.join(runbooks, 'leaky.yaml'), LEAKY);
  world = await startWorld({ runbooks, env: { LOG_LEVEL: 'debug' } });
}, 30_000);
afterAll(async () => {
  await world?.stop();
  await rm(runbooks, { recursive: true, force: true });
});

type Line = Record<string, unknown> & { msg?: string; incident?: string; step?: string };

describe('the bot’s logs', () => {
  it('put the incident (and the step) on every line about them, and never a secret', async () => {
    const { slack, emulator, until, cardText, bot } = world;
    const card = () => until(() => world.card(), 'the drill card');
    await slack.command('UALICE', 'drill leaky-restore');
    await until(() => cardText().includes('Set parameters'), 'the drill card asking for parameters');
    await slack.click('UALICE', await card(), 'Set parameters');
    const modal = await until(
      () => emulator.views('UALICE').find((v) => v.state === 'open'),
      'the parameters modal',
    );
    await slack.submitView('UALICE', modal, { namespace: 'billing' });
    await until(() => cardText().includes('"Run"'), 'the step ready to run');
    await slack.click('UALICE', await card(), 'Run');
    await until(() => cardText().includes('"Retry"'), 'the failed step, offering a retry');
    const id = /DRILL-\d{8}-[0-9a-f]{6}/.exec(world.card()?.text ?? '')?.[0] ?? '';
    await slack.command('UALICE', 'abort the token is revoked');
    await until(() => cardText().includes('Aborted'), 'the aborted card');

    const lines = (): Line[] =>
      bot
        .output()
        .split('\n')
        .flatMap((text) => {
          try {
            return [JSON.parse(text) as Line];
          } catch {
            return [];
          }
        });
    const failed = await until(
      () => lines().find((l) => l.msg === 'step failed'),
      'the step failure in the log',
    );
    expect(failed).toMatchObject({ level: 40, incident: id, step: 'print-credentials', attempt: 1 });
    // The failure says why, with the secret masked: the redaction, not luck, keeps it out.
    expect(failed.output).toEqual(expect.stringContaining('denied: [REDACTED] is revoked'));

    const about = lines().filter((l) => JSON.stringify(l).includes(id) || l.incident !== undefined);
    expect(about.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        '/dr drill',
        'incident card posted',
        'parameters submitted',
        'button Request',
        'step running',
        'step failed',
        'timeline entry posted',
        '/dr abort',
      ]),
    );
    for (const line of about) expect(line).toMatchObject({ incident: id });
    const stepLines = about.filter((l) => /^step /.test(l.msg ?? ''));
    expect(stepLines.length).toBeGreaterThanOrEqual(2);
    for (const line of stepLines) expect(line.step).toBe('print-credentials');

    const everything = bot.output();
    for (const secret of [TOKEN, 'xoxb-e2e-token', SECRET]) expect(everything).not.toContain(secret);
    expect(emulator.messages(CHANNEL).some((m) => JSON.stringify(m).includes(TOKEN))).toBe(false);
  }, 60_000);
});
