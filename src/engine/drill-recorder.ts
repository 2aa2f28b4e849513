import { drillReport } from '../domain/report.js';
import type { DrillRecords, EventLog, FeedEntry } from './ports/index.js';
import type { StateCache } from './state-cache.js';

/** When a drill ends (resolved or aborted), its outcome is kept for readiness. Drills never count as incidents. */
export async function recordFinishedDrill(
  store: EventLog & DrillRecords,
  cache: StateCache,
  entry: FeedEntry,
): Promise<void> {
  if (!entry.types.includes('IncidentResolved') && !entry.types.includes('IncidentAborted')) return;
  const { state } = await cache.load(store, entry.incidentId);
  if (state?.mode !== 'drill' || !state.runbook || state.closedAt === undefined) return;
  const report = drillReport(state, (await store.read(state.id)).events);
  if (!report) return;
  await store.recordDrill({
    incident: state.id,
    runbook: state.runbook.id,
    passed: report.passed,
    endedAt: state.closedAt,
    ...(report.rtoSeconds !== undefined ? { rtoSeconds: report.rtoSeconds } : {}),
    rtoTarget: report.rtoTarget,
  });
}
