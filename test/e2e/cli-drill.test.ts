import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { lifeboat, ROOT } from '../support/cli.js';
import { startWorld, type World } from '../support/e2e.js';
import { REDIS_URL } from '../support/redis.js';

const DRILLS = 'C0GENERAL';
const CONFIG = `access:\n  approvers: [UALICE, UBOB]\nclusters:\n  drill: { context: drill }\ndrills:\n  cluster: drill\n  channel: ${DRILLS}\n`;

let world: World;
let dir: string;
beforeAll(async () => {
  world = await startWorld({ config: CONFIG });
  dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-cli-drill-'));
  await writeFile(path.join(dir, 'lifeboat.yaml'), CONFIG);
  await writeFile(
    path.join(dir, 'no-channel.yaml'),
    'access:\n  approvers: [UALICE]\nclusters:\n  drill: { context: drill }\ndrills:\n  cluster: drill\n',
  );
  await writeFile(path.join(dir, 'no-drill-cluster.yaml'), `drills:\n  channel: ${DRILLS}\n`);
}, 30_000);
afterAll(async () => {
  await world?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The CLI against the bot's store and runbooks, as an operator would run it beside the bot. */
const drill = (args: string[], config = 'lifeboat.yaml') =>
  lifeboat(['drill', ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL,
      LIFEBOAT_REDIS_PREFIX: world.prefix,
      LIFEBOAT_RUNBOOKS: path.join(ROOT, 'test/fixtures/e2e'),
      LIFEBOAT_CONFIG: path.join(dir, config),
    },
  });

describe('lifeboat drill <runbook-id>', () => {
  it('starts a drill that the running bot posts as a DRILL card in the drills channel, ready to run', async () => {
    const started = await drill(['local-restore', '--param', 'namespace=billing']);
    expect(started.stderr).toBe('');
    expect(started.exitCode).toBe(0);
    const id = /Started drill (DRILL-\S+) of local-restore in C0GENERAL\./.exec(started.stdout)?.[1];
    expect(id).toBeDefined();
    expect(started.stdout).toContain(`lifeboat report ${id}`);

    const card = () =>
      world.emulator.messages(DRILLS).find((m) => m.thread_ts === undefined && m.text.includes(id ?? '?'));
    await world.until(
      () =>
        card()?.text.startsWith('DRILL') &&
        /Next: Confirm the namespace is gone/.test(JSON.stringify(card()?.blocks)),
      'the DRILL card in the drills channel, its first step ready',
    );
    expect(JSON.stringify(card()?.blocks)).toContain('"Run"');

    const again = await drill(['local-restore']);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain(`${id} is still open in C0GENERAL`);
  });

  it('names the known runbooks when the id is wrong, and says where to set a missing drills channel', async () => {
    const unknown = await drill(['local-restor']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/there is no runbook "local-restor" .*Runbooks: local-restore\./);

    const nowhere = await drill(['local-restore'], 'no-channel.yaml');
    expect(nowhere.exitCode).toBe(1);
    expect(nowhere.stderr).toContain('no channel for drills: set drills.channel');
    expect(nowhere.stdout).toBe('');
    const production = await drill(['local-restore'], 'no-drill-cluster.yaml');
    expect(production.exitCode).toBe(1);
    expect(production.stderr).toContain('No drill cluster is configured');
  });
});
