import type { DrillClusters } from '../domain/drill.js';
import type { WebClient } from '@slack/web-api';
import type { Engine } from '../engine/engine.js';
import type { Log } from '../log.js';
import type { Access } from './access.js';
import type { FollowUps } from './follow-ups.js';
import type { ChoiceLister } from './open-params.js';

/** What every Slack handler needs, injected once by the composition root. */
export type SlackContext = {
  readonly engine: Engine;
  readonly access: Access;
  readonly client: WebClient;
  /** Where work after an ack waits its turn, so acks are not queued behind it. */
  readonly followUps: FollowUps;
  /** Runs a param's `choicesFrom` action; absent, params that list choices are typed instead. */
  readonly listChoices?: ChoiceLister;
  readonly command: string;
  readonly drillClusters?: DrillClusters;
  readonly log: Log;
};

/** A refusal's text, with whom to ask when the problem is who is asking. */
export function refusalText(message: string, code: string): string {
  return code === 'not-an-approver' || code === 'not-a-responder' ? `🚫 ${message}` : `⚠️ ${message}`;
}
