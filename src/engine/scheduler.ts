import { drillClustersOf, drillRefusal } from '../domain/drill.js';
import { CronExpressionParser } from 'cron-parser';
import type { LifeboatConfig } from '../domain/config.js';
import { LIFEBOAT } from '../domain/events.js';
import type { Engine } from './engine.js';
import type { ScheduleMarks } from './ports/index.js';

export type Schedule = LifeboatConfig['drills']['schedule'][number];

/** A schedule slot counts as missed, and says so, when it starts this much after it was due. */
export const LATE_AFTER_MS = 5 * 60_000;

/** The most recent time the schedule was due, at or before `now`. */
export function lastDue(schedule: Schedule, now: number): number {
  return CronExpressionParser.parse(schedule.cron, {
    currentDate: new Date(now),
    ...(schedule.timezone ? { tz: schedule.timezone } : {}),
  })
    .prev()
    .getTime();
}

/**
 * Starts scheduled drills. Every replica ticks; exactly one drill starts per slot because its
 * incident id comes from the slot, and the store appends a declaration only once. A slot missed
 * while every replica was down starts on the next tick and says it is late.
 */
export async function startDueDrills(
  engine: Engine,
  marks: ScheduleMarks,
  config: LifeboatConfig,
  now: number,
): Promise<string[]> {
  const channel = config.drills.channel ?? config.channels.alerts;
  const started: string[] = [];
  for (const schedule of config.drills.schedule) {
    const loaded = engine.runbook(schedule.runbook);
    if (!loaded || !channel) continue;
    // A drill that could reach production never starts; `serve` warned about it at start.
    if (drillRefusal(loaded.runbook, drillClustersOf(config.drills)) !== undefined) continue;
    const key = `${schedule.runbook}:${schedule.cron}:${schedule.timezone ?? 'UTC'}`;
    const due = lastDue(schedule, now);
    const last = await marks.scheduleMark(key);
    // The first tick after a schedule is configured starts nothing: it only marks where counting begins.
    if (last === undefined) {
      await marks.markSchedule(key, due);
      continue;
    }
    if (due <= last) continue;
    const late = now - due > LATE_AFTER_MS;
    const id = `DRILL-${new Date(due).toISOString().slice(0, 16).replace(/[-:T]/g, '')}-${schedule.runbook}`;
    const summary = `Scheduled drill: ${loaded.runbook.title}${late ? ` (started late: was due ${new Date(due).toISOString().slice(0, 16).replace('T', ' ')} UTC)` : ''}`;
    const result = await engine.handle(
      id,
      { id: LIFEBOAT, memberOf: [] },
      {
        type: 'Declare',
        mode: 'drill',
        summary,
        channel,
        runbook: loaded,
        schedule: { due, late, preApproved: schedule.preApproved ?? false, params: schedule.params },
      },
    );
    if (result.ok && !result.duplicate && result.events.length > 0) started.push(id);
    await marks.markSchedule(key, due);
  }
  return started;
}
