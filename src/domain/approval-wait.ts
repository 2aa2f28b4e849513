import type { GateKind, IncidentEvent } from './events.js';

/** How long one approval took: from the request to run (skip, roll back, override) to this approval. */
export type ApprovalWait = {
  readonly runbook?: string;
  readonly step: string;
  readonly gate: GateKind;
  readonly seconds: number;
};

/** The waits of the approvals among `events` from index `from` on, each measured from its gate's latest request. */
export function approvalWaits(events: readonly IncidentEvent[], from = 0): ApprovalWait[] {
  const waits: ApprovalWait[] = [];
  let runbook: string | undefined;
  const requested = new Map<string, number>();
  for (const [index, event] of events.entries()) {
    if (event.type === 'RunbookSelected') runbook = event.runbook.id;
    if (event.type === 'StepRequested') requested.set(`${event.step}\u0000${event.gate}`, event.at);
    if (event.type !== 'ApprovalGranted' || index < from) continue;
    const since = requested.get(`${event.step}\u0000${event.gate}`);
    if (since === undefined) continue;
    waits.push({
      ...(runbook !== undefined ? { runbook } : {}),
      step: event.step,
      gate: event.gate,
      seconds: Math.max(0, (event.at - since) / 1000),
    });
  }
  return waits;
}
