import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { startDemo, type Demo } from '../../src/sandbox/demo.js';
import { eventually } from '../support/eventually.js';

let demo: Demo;
beforeAll(async () => {
  process.env.LOG_LEVEL = 'error';
  // A PATH with node alone: the demo as it starts on a laptop without etcd.
  demo = await startDemo({ port: 0, env: { PATH: path.dirname(process.execPath) } });
}, 60_000);
afterAll(() => demo?.stop());

describe('npm run demo without etcd installed', () => {
  it('says how to install etcd, and runs the etcd restore drill as a dry run that shows what each step would run', async () => {
    const { emulator, driver } = demo.workspace;
    expect(demo.etcd).toBe(false);
    expect(demo.summary).toContain('apt-get install etcd-server etcd-client');
    expect(demo.summary).toContain('every step is a dry run');

    const card = () => emulator.messages('C0INCIDENT').find((m) => m.thread_ts === undefined);
    const cardSays = (text: string) =>
      eventually(() => Promise.resolve(JSON.stringify(card()?.blocks ?? []).includes(text) && card()), text);
    await driver.command('UALICE', 'drill etcd-snapshot-restore');
    await driver.click('UALICE', await cardSays('Set parameters'), 'Set parameters');
    const modal = await eventually(
      () => Promise.resolve(emulator.views('UALICE').find((v) => v.state === 'open')),
      'the modal',
    );
    const { values } = demo;
    await driver.submitView('UALICE', modal, { ...values, checkNamespace: 'kube-system' });

    await driver.click('UALICE', await cardSays('Next: Download the snapshot'), 'Run');
    await cardSays('Next: The snapshot is intact');
    const thread = () =>
      emulator.replies('C0INCIDENT', card()?.ts ?? '').map((m) => JSON.stringify(m.blocks));
    // The thread is paced to Slack's posting rate, so it may trail the card by a few seconds.
    const download = await eventually(
      () => Promise.resolve(thread().find((m) => m.includes('Download the snapshot') && m.includes('✅'))),
      'the finished download in the thread',
    );
    expect(thread().some((m) => m.includes('Prerequisites passed'))).toBe(true);
    expect(download).toMatch(/wouldRun.*s3\.download/);
    expect(download).toContain(values.bucket);
  }, 60_000);
});
