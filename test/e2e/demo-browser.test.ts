import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { startDemo, type Demo } from '../../src/sandbox/demo.js';
import { launchChromium } from '../support/browser.js';
import { ROOT } from '../support/cli.js';
import { etcd35Bin, pathWith } from '../support/etcd.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const WAIT = { timeout: 15_000 };

let demo: Demo;
let restorePath: () => void = () => undefined;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // The bot runs in this process; its JSON log lines would bury Jest's report.
  process.env.LOG_LEVEL = 'error';
  await mkdir(ARTIFACTS, { recursive: true });
  // No REDIS_URL: the in-memory store, as `npm run demo` on a machine without Redis.
  // The shipped etcd restore needs etcd 3.5's etcdutl; the sandbox etcd then runs 3.5 too.
  restorePath = pathWith(etcd35Bin());
  demo = await startDemo({ port: 0, env: {} });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  await page.goto(demo.url);
  // Ready once the page knows who it is (the switcher starts at alice).
  await page.locator('#channel-head').filter({ hasText: 'you are alice' }).waitFor(WAIT);
}, 60_000);

afterAll(async () => {
  restorePath();
  await browser?.close();
  await demo?.stop();
});

/** Everything below goes through the page, as a person would: typing, clicking, switching user. */
const type = async (text: string) => {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.keyboard.press('Enter');
};
/** The incident card: the newest message whose header names a drill or an incident. */
const card = (): Locator =>
  page
    .locator('#messages .msg')
    .filter({ has: page.locator('.b-header', { hasText: /DRILL|INCIDENT/ }) })
    .last();
const cardSays = (text: string) =>
  card()
    .filter({ hasText: text })
    .waitFor(WAIT)
    .catch(async (error: unknown) => {
      // What the page showed when it did not come: the screenshot says more than the locator.
      await shot('failed');
      throw error;
    });
const press = (name: string) => card().getByRole('button', { name, exact: true }).click();
const confirm = (name: string) => page.getByRole('alertdialog').getByRole('button', { name }).click();
const beAs = (name: string) => page.getByLabel('You are').selectOption({ label: name });
const threadSays = (text: string) =>
  page.locator('#thread-messages .msg').filter({ hasText: text }).first().waitFor(WAIT);
const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `demo-${name}.png`) });

describe('npm run demo, in a browser', () => {
  it('runs the etcd restore drill: parameters, a destructive step approved by someone else, verified', async () => {
    if (!demo.etcd)
      throw new Error('this test needs etcd and etcdctl: apt-get install etcd-server etcd-client');
    await type('/dr drill etcd-snapshot-restore');
    await cardSays('Fill in the parameters');
    await press('Set parameters');

    const modal = page.getByRole('dialog', { name: 'Runbook parameters' });
    const { values } = demo;
    await modal.getByLabel('Bucket that holds the etcd snapshots').fill(values.bucket);
    await modal.getByLabel('Key prefix').fill(values.prefix);
    await modal.getByLabel('Name of the cluster being restored').fill(values.sourceCluster);
    await modal.getByLabel('Every etcd member').fill('not a member list');
    await modal.getByLabel('URL that answers 200').fill(values.healthUrl);
    await modal.getByRole('button', { name: 'Start' }).click();
    // The bot's view_submission ack puts its error beside the field; what was typed stays.
    await modal.locator('.error').first().waitFor(WAIT);
    await shot('1-params-error');
    await modal.getByLabel('Every etcd member').fill(values.initialCluster);
    await modal.getByRole('button', { name: 'Start' }).click();
    await modal.waitFor({ state: 'hidden', ...WAIT });

    await cardSays('Next: Download the snapshot');
    await threadSays('Prerequisites passed');
    await press('Run');
    await cardSays('Next: The snapshot is intact');
    await press('Run');
    await cardSays('Next: Stop every API server');
    await press('Run');
    await cardSays('asked to run this step');
    await shot('2-approval-needed');

    // Alice asked; she may not approve her own request. Bob may.
    await beAs('bob');
    await press('Approve');
    await confirm('Approve');
    await cardSays('Do this by hand');
    await press('Done');
    await confirm('Done');
    await threadSays('✅ Verify Every API server refuses connections');

    await cardSays('Next: Restore the snapshot into a fresh data dir');
    await press('Run');
    await cardSays('Next: Put each member');
    await press('Run');
    await cardSays('asked to run this step');
    // Bob asked this time; Carol approves.
    await beAs('carol');
    await press('Approve');
    await confirm('Approve');
    await cardSays('Do this by hand');
    await press('Done');
    await confirm('Done');
    await threadSays('✅ Verify Every etcd endpoint is healthy');
    await threadSays('✅ Verify etcd holds as many keys as the snapshot');
    await shot('3-verified');

    const thread = await page.locator('#thread').innerText();
    expect(thread).toMatch(/bob\s+approved running Stop every API server/);
    expect(thread).toMatch(/carol\s+approved running Put each member/);
  }, 60_000);

  it('walks the decision tree in another channel, with probes run against the sandbox', async () => {
    await page.getByRole('button', { name: '# general' }).click();
    await beAs('alice');
    await type('/dr declare payments API is down');
    await cardSays('What is failing?');
    // The sandbox cluster's API server answers, so the probe suggests no answer here.
    await press('The API server does not answer (kubectl hangs or is refused)');
    await cardSays('Is etcd still healthy');
    // The sandbox etcd answers, so the probe suggests the control-plane runbook.
    await cardSays('Suggested by the probe: etcd answers and its data is intact');
    await shot('4-decision-tree');
  }, 30_000);
});
