import { approvalWaits, type ApprovalWait } from '../domain/approval-wait.js';
import type { EventLog, FeedEntry } from './ports/index.js';

/** Reports how long each new approval waited, once per feed entry (the consumer group hands it to one replica). */
export async function meterApprovals(
  store: EventLog,
  entry: FeedEntry,
  observe: (wait: ApprovalWait) => void,
): Promise<void> {
  if (!entry.types.includes('ApprovalGranted')) return;
  const events = (await store.read(entry.incidentId)).events.slice(0, entry.version);
  for (const wait of approvalWaits(events, entry.version - entry.types.length)) observe(wait);
}
