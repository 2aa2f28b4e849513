import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ViewRecord } from '../../src/sandbox/slack/emulator.js';
import { CHANNEL, startWorld, type World } from '../support/e2e.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 30_000);
afterAll(() => world?.stop());

const DAY = 86_400_000;

describe('the App Home tab', () => {
  it('shows open incidents and each runbook’s readiness, afresh each time it is opened', async () => {
    const { slack, emulator, until, store } = world;
    const published = () => emulator.callsTo('views.publish').filter((c) => c.status === 200);
    /** Opens the tab and waits for the view Slack would show now. */
    const openHome = async (user: string): Promise<string> => {
      const before = published().length;
      const sent = await slack.homeOpened(user);
      expect(sent.status).toBe(200);
      await until(() => published().length > before, 'views.publish after app_home_opened');
      const home = emulator.views(user).find((v): v is ViewRecord => v.type === 'home');
      expect(home?.view.type).toBe('home');
      return JSON.stringify(home?.view.blocks);
    };

    let home = await openHome('UCAROL');
    expect(home).toContain('Nothing is open');
    expect(home).toContain(
      '⚠️ `local-restore` — Restore a namespace (local stand-in) (RTO 30m, RPO 24h) · never drilled · *never drilled successfully*',
    );
    expect(home).toContain('Drill one with `/dr drill &lt;runbook-id&gt;`');

    await slack.command('UALICE', 'declare payments namespace deleted');
    await until(() => world.card(), 'the incident card');
    const incident = /INC-\d{8}-[0-9a-f]{6}/.exec(world.card()?.text ?? '')?.[0] ?? '';
    const now = Date.now();
    await store.recordDrill({
      incident: 'DRILL-old',
      runbook: 'local-restore',
      passed: true,
      endedAt: now - 120 * DAY,
      rtoSeconds: 300,
      rtoTarget: 1800,
    });
    await store.recordDrill({
      incident: 'DRILL-recent',
      runbook: 'local-restore',
      passed: true,
      endedAt: now - 3 * DAY,
      rtoSeconds: 95,
      rtoTarget: 1800,
    });
    home = await openHome('UCAROL');
    expect(home).toMatch(
      new RegExp(
        `🚨 \\*${incident}\\* payments namespace deleted · <#${CHANNEL}> · open \\d+s · choosing a runbook`,
      ),
    );
    const recent = new Date(now - 3 * DAY).toISOString().slice(0, 10);
    expect(home).toContain(
      `✅ \`local-restore\` — Restore a namespace (local stand-in) (RTO 30m, RPO 24h) · last passed ${recent}, RTO 1m35s of 30m`,
    );

    await store.recordDrill({
      incident: 'DRILL-failed',
      runbook: 'local-restore',
      passed: false,
      endedAt: now - DAY,
      rtoTarget: 1800,
    });
    await slack.command('UALICE', 'abort wrong channel');
    await until(() => world.cardText().includes('Aborted'), 'the aborted card');
    home = await openHome('UCAROL');
    expect(home).toContain('Nothing is open');
    expect(home).toContain(`last passed ${recent}, RTO 1m35s of 30m · *last drill (DRILL-failed) failed*`);
    // Every person sees their own tab; the one published for Carol is not Bob's.
    expect(emulator.views('UBOB')).toEqual([]);
  }, 60_000);
});
