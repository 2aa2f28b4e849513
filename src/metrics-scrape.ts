import type { Metrics } from './metrics.js';
import { PRESENTER_GROUP } from './slack/presenter.js';
import type { BackupStates, DrillRecords, EventLog, Feed } from './engine/ports/index.js';

/** Gauges read from the shared store at scrape time, so every replica reports the same truth. */
export async function refreshGauges(
  metrics: Metrics,
  store: EventLog & Feed & BackupStates & DrillRecords,
): Promise<void> {
  metrics.openIncidents.set((await store.openIncidents()).size);
  metrics.outboxDepth.set(await store.feedBacklog(PRESENTER_GROUP));
  for (const state of await store.backupStates()) {
    if (state.ageSeconds !== undefined) metrics.backupAge.set({ source: state.source }, state.ageSeconds);
    metrics.backupOk.set({ source: state.source }, state.status === 'fresh' ? 1 : 0);
  }
  const drills = (await store.drillRecords()).sort((a, b) => a.endedAt - b.endedAt);
  for (const drill of drills) {
    metrics.drillPassed.set({ runbook: drill.runbook }, drill.passed ? 1 : 0);
    if (drill.rtoSeconds !== undefined) metrics.drillRto.set({ runbook: drill.runbook }, drill.rtoSeconds);
    if (drill.passed)
      metrics.lastSuccessfulDrill.set({ runbook: drill.runbook }, Math.round(drill.endedAt / 1000));
  }
}
