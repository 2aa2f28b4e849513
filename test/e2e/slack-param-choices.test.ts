import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/cli.js';
import { startWorld, type World } from '../support/e2e.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { backup } from '../../src/sandbox/k8s/objects.js';

let api: K8sEmulator;
let world: World;
let dir = '';

beforeAll(async () => {
  api = await K8sEmulator.create();
  api.seed(
    'backups',
    backup('nightly-20260301', { completedHoursAgo: 50 }),
    backup('nightly-20260303', { completedHoursAgo: 2 }),
    backup('shop-before-migration', { completedHoursAgo: 5, included: ['shop'], warnings: 1 }),
    backup('nightly-20260302', { completedHoursAgo: 26 }),
    backup('nightly-20260304', { completedHoursAgo: 0.1, phase: 'InProgress' }),
    backup('broken', { completedHoursAgo: 1, phase: 'Failed' }),
  );
  dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-choices-'));
  await writeFile(path.join(dir, 'kubeconfig'), api.kubeconfigFile(['prod-eu']));
  // The shipped runbooks and tree, against a cluster whose API (with Velero) is the emulator.
  world = await startWorld({
    runbooks: path.join(ROOT, 'runbooks'),
    config: 'access:\n  approvers: [UALICE, UBOB]\nclusters:\n  primary: { context: prod-eu }\n',
    env: { KUBECONFIG: path.join(dir, 'kubeconfig') },
  });
}, 60_000);

afterAll(async () => {
  await world?.stop();
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

type Block = {
  block_id?: string;
  hint?: { text: string };
  element?: {
    type: string;
    options?: { value: string; text: { text: string }; description?: { text: string } }[];
  };
};
const field = (view: { blocks?: unknown[] }, name: string): Block | undefined =>
  (view.blocks as Block[] | undefined)?.find((b) => b.block_id === name);

describe('a param chosen from live data', () => {
  it('opens the modal at once, fills a select with the Velero backups newest first, and sets the chosen one', async () => {
    const { slack, emulator, until, thread } = world;
    // The first listing is refused by the API server: the field stays a text box that says why.
    api.fail({ method: 'GET', path: /\/backups$/, status: 403, times: 1 });
    await slack.command('UALICE', 'declare shop namespace deleted');
    await until(() => world.cardText().includes('What is failing?'), 'the first question');
    const answer = await slack.click(
      'UALICE',
      await until(() => world.card(), 'the card'),
      'A namespace or application was deleted',
    );
    expect(answer.status).toBe(200);
    await until(() => world.cardText().includes('Does the namespace still exist?'), 'the second question');
    await slack.click(
      'UALICE',
      await until(() => world.card(), 'the card'),
      'No, the whole namespace is gone',
    );
    const first = await until(
      () => emulator.views('UALICE').find((v) => v.state === 'open'),
      'the parameters modal',
    );
    expect(field(first.history[0]?.view ?? {}, 'backup')?.hint?.text).toMatch(/^⏳ Listing the choices/);
    const fallback = await until(
      () => first.history.find((h) => h.action === 'views.update')?.view,
      'the modal updated after the failed listing',
    );
    expect(field(fallback, 'backup')?.element?.type).toBe('plain_text_input');
    expect(field(fallback, 'backup')?.hint?.text).toMatch(
      /^Could not list the choices \(Kubernetes refused \(403\) to list backups\.velero\.io.*\); type a value/,
    );

    // The person opens the form again from the card: this time the listing works.
    await until(() => world.cardText().includes('Set parameters'), 'the card asking for parameters');
    await slack.click('UALICE', await until(() => world.card(), 'the card'), 'Set parameters');
    const second = await until(
      () => emulator.views('UALICE').find((v) => v.state === 'open' && v.id !== first.id),
      'the second parameters modal',
    );
    const opened = second.history[0];
    expect(opened?.action).toBe('views.open');
    const updated = await until(
      () => second.history.find((h) => h.action === 'views.update'),
      'the select of backups',
    );
    expect(updated.at).toBeGreaterThanOrEqual(opened?.at ?? 0);
    const select = field(updated.view, 'backup')?.element;
    expect(select?.type).toBe('static_select');
    // Completed backups only, newest first, each with its age and what it covers.
    expect(select?.options?.map((o) => o.value)).toEqual([
      'nightly-20260303',
      'shop-before-migration',
      'nightly-20260302',
      'nightly-20260301',
    ]);
    const described = (select?.options ?? []).map((o) => o.description?.text ?? '');
    // Ages are to the minute, so a slow start may add one. These backups have no resource list in the
    // backup storage, so each says its contents are unknown rather than guessing from its spec.
    const unknown = 'contents unknown \\(no resource list in storage\\)';
    [
      new RegExp(`^2h(1m)? ago · ${unknown}$`),
      new RegExp(`^5h(1m)? ago · ${unknown} · 1 warning$`),
      new RegExp(`^1d2h ago · ${unknown}$`),
      new RegExp(`^2d2h ago · ${unknown}$`),
    ].forEach((pattern, i) => expect(described[i]).toMatch(pattern));
    expect(field(updated.view, 'namespace')?.element?.type).toBe('plain_text_input');

    const submitted = await slack.submitView('UALICE', second, {
      namespace: 'shop',
      backup: 'nightly-20260302',
      healthUrl: 'https://shop.example.com/healthz',
    });
    expect(submitted.status).toBe(200);
    const line = await until(
      () => thread().find((m) => m.text.includes('set parameters')),
      'the parameters in the timeline',
    );
    expect(line.text).toContain('backup=`nightly-20260302`');
    expect(line.text).toContain('namespace=`shop`');
  }, 60_000);
});
