import path from 'node:path';
import os from 'node:os';
import { rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slack/emulator.js';
import { BIN, ROOT } from '../support/cli.js';
import { freePort } from '../support/redis.js';

let emulator: SlackEmulator;
let taken: Server;
let takenPort: number;
beforeAll(async () => {
  emulator = await startSlackEmulator({ tokens: ['xoxb-cli-serve'] });
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  takenPort = (taken.address() as AddressInfo).port;
});
afterAll(async () => {
  await emulator.stop();
  await new Promise((resolve) => taken.close(resolve));
});

const serve = (env: Record<string, string>) =>
  execa(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/',
      SLACK_BOT_TOKEN: 'xoxb-cli-serve',
      SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
      SLACK_API_URL: emulator.url,
      HOST: '127.0.0.1',
      LIFEBOAT_RUNBOOKS: 'runbooks',
      ...env,
    },
    extendEnv: false,
    reject: false,
    timeout: 20_000,
  });

describe('lifeboat serve', () => {
  it('refuses a setting that cannot work, naming it, before it starts anything', async () => {
    const result = await serve({ SLACK_SIGNING_SECRET: 'secret' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^lifeboat serve: SLACK_SIGNING_SECRET: /);
  });

  it('refuses a drill cluster that is not a configured cluster, naming the key, so a drill cannot fall back to production', async () => {
    const config = path.join(os.tmpdir(), `lifeboat-typo-${process.pid}.yaml`);
    await writeFile(
      config,
      'clusters:\n  primary: { context: prod }\n  drill: { context: drill }\ndrills:\n  cluster: dril\n',
    );
    const result = await serve({ LIFEBOAT_CONFIG: config });
    await rm(config, { force: true });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe(
      `lifeboat serve: LIFEBOAT_CONFIG: ${config}: drills.cluster: drill cluster "dril" is not under clusters: add clusters.dril (its context) or fix the name`,
    );
  });

  it('says when Slack refuses the bot token, before it starts anything', async () => {
    const result = await serve({ SLACK_BOT_TOKEN: 'xoxb-revoked' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('lifeboat serve: SLACK_BOT_TOKEN: Slack refused it (invalid_auth)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("says when Slack's Web API cannot be reached, and where it looked", async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}/api/`;
    const result = await serve({ SLACK_API_URL: nowhere });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`lifeboat serve: Slack's Web API at ${nowhere} did not answer`);
    expect(result.stderr).toContain('check SLACK_API_URL and the network');
  });

  it('says which port is taken and what to do, and exits, when PORT is in use', async () => {
    const result = await serve({ PORT: String(takenPort) });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `lifeboat serve: PORT ${takenPort} on 127.0.0.1 is in use by another process: set PORT to a free port`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
