import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startWorld, type World } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 30_000);
afterAll(() => world?.stop());

type Sample = { readonly name: string; readonly labels: Record<string, string>; readonly value: number };

/** The bot's GET /metrics, parsed from the Prometheus text format. */
async function scrape(): Promise<Sample[]> {
  const text = await (await fetch(`${world.bot.url}/metrics`)).text();
  return text.split('\n').flatMap((line) => {
    const match = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
    if (!match) return [];
    const labels: Record<string, string> = {};
    for (const [, name = '', text = ''] of (match[2] ?? '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/gi))
      labels[name] = text;
    return [{ name: match[1] ?? '', labels, value: Number(match[3]) }];
  });
}

/** Scrapes (a few times a second, like an impatient Prometheus) until the samples pass `check`. */
function metricsWhen(check: (samples: Sample[]) => boolean, what: string, ms = 15_000): Promise<Sample[]> {
  return eventually(
    async () => {
      const samples = await scrape();
      if (check(samples)) return samples;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return undefined;
    },
    what,
    ms,
  );
}

/** One sample's value (0 when absent, as Prometheus reads a counter never incremented). */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found?.value ?? 0;
}

describe('metrics of an incident run through Slack', () => {
  it('expose the approval wait, ack latency, outbox depth, and Slack errors and retries the run produced', async () => {
    const { slack, emulator, until, cardText, thread } = world;
    const card = () => until(() => world.card(), 'the incident card');
    let requests = 0;
    const sent = <T>(request: Promise<T>): Promise<T> => ((requests += 1), request);

    await sent(slack.command('UALICE', 'declare payments namespace deleted'));
    await until(() => cardText().includes('What is failing?'), 'the first question');
    await sent(slack.click('UALICE', await card(), 'A namespace was deleted'));
    const modal = await until(
      () => emulator.views('UALICE').find((v) => v.state === 'open'),
      'the parameters modal',
    );
    await sent(slack.submitView('UALICE', modal, { namespace: 'payments' }));
    await until(
      () => cardText().includes('Confirm the namespace is gone') && cardText().includes('"Run"'),
      'the first step',
    );
    await sent(slack.click('UALICE', await card(), 'Run'));
    await until(() => cardText().includes('Next: Restore the namespace'), 'the destructive step');
    await sent(slack.click('UALICE', await card(), 'Run'));
    await until(() => cardText().includes('"Approve"'), 'approval buttons');
    // Refused (self-approval): no approval, so no wait measured.
    await sent(slack.click('UALICE', await card(), 'Approve'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sent(slack.click('UBOB', await card(), 'Approve'));
    await until(
      () => thread().some((m) => m.text.includes('Verify The restore left its record')),
      'the restore and its verification in the thread',
    );

    const wait = { runbook: 'local-restore' };
    const settled = await metricsWhen(
      (samples) =>
        value(samples, 'lifeboat_outbox_depth') === 0 &&
        value(samples, 'lifeboat_approval_wait_seconds_count', wait) > 0,
      'the outbox to drain once the thread is posted, and the approval measured',
    );
    expect(value(settled, 'lifeboat_approval_wait_seconds_count', wait)).toBe(1);
    expect(value(settled, 'lifeboat_approval_wait_seconds_sum', wait)).toBeGreaterThan(0.3);
    const acks = value(settled, 'lifeboat_slack_ack_seconds_count');
    expect(acks).toBeGreaterThanOrEqual(requests);
    // Every request was answered within Slack's 3 s.
    expect(value(settled, 'lifeboat_slack_ack_seconds_bucket', { le: '3' })).toBe(acks);
    expect(value(settled, 'lifeboat_slack_api_errors_total')).toBe(0);

    // Slack answers 500 to every post: the timeline waits in the outbox, and the failures are counted.
    const lift = emulator.fail('chat.postMessage', { status: 500 });
    await slack.command('UALICE', 'note checking the payments database');
    const postFailed = { method: 'chat.postMessage', error: 'http_500' };
    const failing = await metricsWhen(
      (samples) =>
        value(samples, 'lifeboat_slack_api_errors_total', postFailed) >= 4 &&
        value(samples, 'lifeboat_outbox_depth') >= 1,
      'Slack errors and a waiting outbox in the metrics',
    );
    // One call: the first attempt and three retries, all answered 500.
    expect(value(failing, 'lifeboat_slack_api_retries_total', { method: 'chat.postMessage' })).toBe(3);
    lift();
    await until(
      () => thread().some((m) => m.text.includes('checking the payments database')),
      'the note in the thread once Slack answers again',
      30_000,
    );
    await metricsWhen(
      (samples) => value(samples, 'lifeboat_outbox_depth') === 0,
      'the outbox to drain after the outage',
    );
  }, 90_000);
});
