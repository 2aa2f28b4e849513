import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/cli.js';
import { CHANNEL, startWorld, type World } from '../support/e2e.js';

let world: World;
let runbooks: string;
beforeAll(async () => {
  runbooks = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-refused-'));
  await cp(path.join(ROOT, 'test/fixtures/e2e'), runbooks, { recursive: true });
  // The same runbook under another id, with a lint error: one person could run its destructive step.
  const shipped = await readFile(path.join(runbooks, 'local-restore.yaml'), 'utf8');
  const weakened = shipped
    .replace('id: local-restore', 'id: one-person-restore')
    .replace('destructive: true', 'destructive: true\n    approval: { count: 0 }');
  if (weakened === shipped || !weakened.includes('count: 0'))
    throw new Error('test setup: the fixture changed');
  await writeFile(path.join(runbooks, 'one-person.yaml'), weakened);
  world = await startWorld({ runbooks });
}, 30_000);
afterAll(async () => {
  await world?.stop();
  await rm(runbooks, { recursive: true, force: true });
});

describe('serve with a runbook lint refuses', () => {
  it('does not offer it, offers the others, and says why in /dr runbooks and /readyz', async () => {
    const { slack, emulator, until } = world;
    await slack.command('UALICE', 'drill one-person-restore');
    const refusal = await until(
      () => emulator.ephemerals(CHANNEL, 'UALICE').find((e) => e.text.includes('is not loaded')),
      'the refusal of the runbook with a lint error',
    );
    expect(refusal.text).toContain('a destructive step needs at least one approval');
    expect(world.card()).toBeUndefined();
    await slack.command('UALICE', 'drill local-restore');
    await until(() => world.cardText().includes('Set parameters'), 'the runbook without errors, offered');
    await slack.command('UALICE', 'runbooks');
    const listed = await until(
      () => emulator.ephemerals(CHANNEL, 'UALICE').find((e) => e.text.startsWith('*Runbooks*')),
      'the refused runbook in /dr runbooks',
    );
    expect(listed.text).toMatch(
      /⛔ `one-person-restore` is not loaded \(1 lint error\): .*one-person\.yaml:\d+: a destructive step needs at least one approval/,
    );
    const published = () => emulator.callsTo('views.publish').length;
    const before = published();
    await slack.homeOpened('UALICE');
    await until(() => published() > before, 'the Home tab');
    expect(JSON.stringify(emulator.views('UALICE').find((v) => v.type === 'home')?.view.blocks)).toMatch(
      /⛔ `one-person-restore` is not loaded \(1 lint error\)/,
    );
    const ready = (await (await fetch(`${world.bot.url}/readyz`)).json()) as { checks: { runbooks: string } };
    expect(ready.checks.runbooks).toBe('1 loaded; not loaded (lint errors): one-person-restore');
  });
});
