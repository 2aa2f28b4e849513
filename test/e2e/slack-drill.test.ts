import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { lifeboat, ROOT } from '../support/cli.js';
import { CHANNEL, startWorld, type World } from '../support/e2e.js';
import { REDIS_URL } from '../support/redis.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 30_000);
afterAll(() => world?.stop());

describe('a drill through Slack, its report, readiness and metrics', () => {
  it('runs the runbook as a DRILL, posts a report whose numbers match the timeline, and counts for readiness', async () => {
    const { slack, until, cardText, thread, emulator } = world;
    const card = () => until(() => world.card(), 'the drill card');
    await slack.command('UALICE', 'drill local-restore');
    await until(
      () => cardText().includes('DRILL') && cardText().includes('Set parameters'),
      'the drill card asking for parameters',
    );
    await slack.click('UALICE', await card(), 'Set parameters');
    const modal = await until(
      () => emulator.views('UALICE').find((v) => v.state === 'open'),
      'the parameters modal',
    );
    await slack.submitView('UALICE', modal, { namespace: 'billing' });
    for (const step of [
      'Confirm the namespace is gone',
      'Restore the namespace',
      'The application serves traffic',
    ]) {
      await until(
        () => cardText().includes(`Next: ${step}`) && cardText().includes('"Run"'),
        `"${step}" ready`,
      );
      await slack.click('UALICE', await card(), 'Run');
      if (step === 'Restore the namespace') {
        await until(() => cardText().includes('"Approve"'), 'approval buttons');
        await slack.click('UBOB', await card(), 'Approve');
      }
    }
    await until(() => cardText().includes('All steps are done'), 'all steps done');
    await slack.click('UALICE', await card(), 'Resolve');
    await until(
      () => thread().some((m) => m.text.includes('Drill passed')),
      'the drill verdict in the thread',
    );
    // Besides the timeline and the verdict, the thread holds only the report file (uploaded after the verdict).
    const other = thread().filter((m) => !m.text.startsWith('`') && !m.text.includes('Drill'));
    expect(other.filter((m) => !m.files?.length)).toEqual([]);
    expect(JSON.stringify(thread().map((m) => m.blocks))).toContain('🧪');
    const report = await until(
      () => emulator.files().find((f) => f.filename.endsWith('-report.md') && f.completed),
      'the report file in the thread',
    );
    const text = Buffer.from(report?.bytes ?? []).toString('utf8');
    expect(text).toContain('**✅ PASSED**');

    const id = /`(DRILL-[^`]+)`/.exec(text)?.[1] ?? '';
    const env = { REDIS_URL, LIFEBOAT_REDIS_PREFIX: world.prefix, PATH: process.env.PATH ?? '' };
    const printed = await lifeboat(['report', id], { env });
    expect(printed.exitCode).toBe(0);
    expect(printed.stdout).toContain('**✅ PASSED**');
    const timeline = await lifeboat(['timeline', id], { env });
    const stamp = (what: RegExp) =>
      Date.parse(`${new Date().toISOString().slice(0, 10)}T${what.exec(timeline.stdout)?.[1] ?? ''}Z`);
    const rto =
      (stamp(/`(\d\d:\d\d:\d\d)` 🎉 Service restored/) -
        stamp(/`(\d\d:\d\d:\d\d)` @UALICE declared a DRILL/)) /
      1000;
    const reported = /- RTO: (\d+)s/.exec(printed.stdout)?.[1];
    expect(Math.abs(Number(reported) - rto)).toBeLessThanOrEqual(1);

    const readiness = await lifeboat(['readiness', '--runbooks', path.join(ROOT, 'test/fixtures/e2e')], {
      env,
    });
    expect(readiness.exitCode).toBe(0);
    expect(readiness.stdout).toMatch(/\| `local-restore` \| \d{4}-\d\d-\d\d \| \d+s of 30m \| ✅ ready \|/);
    const overdue = await lifeboat(['readiness', '--runbooks', path.join(ROOT, 'runbooks')], { env });
    expect(overdue.exitCode).toBe(1);
    expect(overdue.stdout).toContain('⚠️ never drilled successfully');

    await slack.command('UALICE', 'runbooks');
    await until(
      () =>
        emulator.ephemerals(CHANNEL, 'UALICE').find((e) => /✅ `local-restore` .* last passed/.test(e.text)),
      'readiness in /dr runbooks',
    );
    const metrics = await (await fetch(`${world.bot.url}/metrics`)).text();
    expect(metrics).toContain('lifeboat_drill_passed{runbook="local-restore"} 1');
    expect(metrics).toMatch(/lifeboat_drill_rto_seconds\{runbook="local-restore"\} \d+/);
    expect(metrics).toMatch(/lifeboat_steps_total\{action="shell",outcome="passed"\} 3/);
  }, 60_000);
});
