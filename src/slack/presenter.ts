import type { DrillClusters } from '../domain/drill.js';
import type { WebClient } from '@slack/web-api';
import { replay, type IncidentState } from '../domain/incident.js';
import { silent, type Log } from '../log.js';
import { drillReport, reportMarkdown } from '../domain/report.js';
import type { EventLog, FeedEntry, Locks, SlackOutbox } from '../engine/ports/index.js';
import { errorMessage } from '../errors.js';
import { incidentCard } from './blocks/card.js';
import { timelineEntry } from './blocks/entry.js';
import { messagesFor } from './communication.js';
import { ChannelPacer, SLACK_PACE, type Pace } from './pacing.js';
import { clip, LIMITS } from './blocks/limits.js';
import { inert } from './blocks/text.js';

export type PresenterOptions = {
  readonly store: EventLog & Locks & SlackOutbox;
  readonly client: WebClient;
  readonly owner: string;
  readonly drillClusters?: DrillClusters;
  readonly clock?: () => number;
  /** At most one card update per incident in this window (Slack allows about one a second). */
  readonly coalesceMs?: number;
  /** How long the per-incident posting lock outlives a replica that died holding it (renewed while alive). */
  readonly lockMs?: number;
  readonly log?: Log;
  /** Posts per channel, kept below Slack's limit; false for none. */
  readonly pace?: Pace | false;
};

const LOCK_MS = 10_000;

/** Where one publish left the incident: its card and how many events the thread shows. */
type Published = { readonly channel: string; readonly card: string; readonly version: number };

/** The consumer group of the presenter on the feed; what it has not acked is the outbox depth. */
export const PRESENTER_GROUP = 'presenter';

/**
 * Slack follows the stream: the card is posted once and updated in place, every event becomes a
 * thread reply in order, and the communication plan posts on its triggers. What was posted is
 * recorded per incident, so a redelivered feed entry posts nothing twice; a Slack outage leaves the
 * entry unacked and it is retried until Slack answers.
 */
export class Presenter {
  /** Card updates waiting for their coalescing window, by incident; each settles when the card was updated. */
  private readonly pending = new Map<
    string,
    { readonly timer: NodeJS.Timeout; readonly done: Promise<void>; readonly cancel: () => void }
  >();
  /** How many events the card showed at this process's last update, by incident. */
  private readonly shown = new Map<string, number>();
  /** Incidents whose thread this process is posting now: their card waits, so it never runs ahead of the thread. */
  private readonly publishing = new Set<string>();
  private readonly lastUpdate = new Map<string, number>();
  private readonly progress = new Map<string, string>();
  /** What this process posted but could not yet record in the store: a retry must not post it again. */
  private readonly unrecorded = new Map<string, { card: string; posted: number }>();
  private readonly clock: () => number;
  private readonly log: Log;
  private readonly pacer: ChannelPacer | undefined;

  constructor(private readonly options: PresenterOptions) {
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? silent;
    const pace = options.pace ?? SLACK_PACE;
    this.pacer = pace ? new ChannelPacer(pace) : undefined;
  }

  /** Waits for the channel's turn: Slack allows about one post a second there. */
  private async paced(channel: string): Promise<void> {
    await this.pacer?.take(channel);
  }

  async onFeedEntry(entry: FeedEntry): Promise<void> {
    const { store, owner, lockMs = LOCK_MS } = this.options;
    const lock = `presenter:${entry.incidentId}`;
    const giveUpAt = this.clock() + 2 * lockMs;
    while (!(await store.lock(lock, owner, lockMs))) {
      if (this.clock() > giveUpAt)
        throw new Error(`presenter lock for ${entry.incidentId} is held elsewhere`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Kept short and renewed while posting: a replica killed mid-post blocks the thread for lockMs at most.
    const renewing = setInterval(
      () => void store.lock(lock, owner, lockMs).catch(() => undefined),
      lockMs / 3,
    );
    this.publishing.add(entry.incidentId);
    let published: Published | undefined;
    try {
      published = await this.publish(entry.incidentId);
    } finally {
      this.publishing.delete(entry.incidentId);
      clearInterval(renewing);
      await store.unlock(lock, owner);
    }
    // Done (acked) only once the card shows it too: a replica that dies before its coalesced card
    // update leaves the entry to another, and a card left behind would carry buttons of an old version.
    if (published && (this.shown.get(entry.incidentId) ?? 0) < published.version)
      await this.cardUpdate(entry.incidentId, published.channel, published.card);
  }

  private async publish(incidentId: string): Promise<Published | undefined> {
    const { store, client } = this.options;
    const events = (await store.read(incidentId)).events;
    const state = replay(incidentId, events);
    if (!state) return;
    const outbox = await store.outbox(incidentId);
    const unrecorded = this.unrecorded.get(incidentId);
    let card = outbox.card ?? unrecorded?.card;
    if (!card) {
      await this.paced(state.channel);
      const posted = await client.chat.postMessage({
        channel: state.channel,
        text: this.summary(state),
        blocks: incidentCard(state, this.cardOptions()),
      });
      card = posted.ts ?? '';
      this.unrecorded.set(incidentId, { card, posted: 0 });
      await store.recordPosted(incidentId, { card, channel: posted.channel ?? state.channel });
      this.lastUpdate.set(incidentId, this.clock());
      this.log('info', 'incident card posted', { incident: incidentId, channel: state.channel, ts: card });
    }
    const from = Math.max(outbox.posted, unrecorded?.posted ?? 0);
    for (let version = from; version < events.length; version++) {
      const event = events[version];
      if (!event) continue;
      const entry = timelineEntry(event, state);
      await this.paced(state.channel);
      await client.chat.postMessage({
        channel: state.channel,
        thread_ts: card,
        text: entry.text,
        blocks: entry.blocks,
      });
      if (entry.longOutput !== undefined) {
        await this.paced(state.channel);
        await client.files.uploadV2({
          channel_id: state.channel,
          thread_ts: card,
          filename: `${incidentId}-output-${version + 1}.txt`,
          content: entry.longOutput,
          title: 'Full output',
        });
      }
      for (const message of messagesFor(event, state)) await this.communicate(state, card, message);
      this.unrecorded.set(incidentId, { card, posted: version + 1 });
      await store.recordPosted(incidentId, { posted: version + 1 });
      this.log('debug', 'timeline entry posted', {
        incident: incidentId,
        ...('step' in event ? { step: event.step } : {}),
        event: event.type,
        version: version + 1,
      });
    }
    this.unrecorded.delete(incidentId);
    if (state.mode === 'drill' && state.closedAt !== undefined && !outbox.reported)
      await this.postReport(state, events, card);
    return { channel: state.channel, card, version: events.length };
  }

  /** The drill report, once, when the drill ends: the numbers come from the same events as the timeline. */
  private async postReport(
    state: IncidentState,
    events: Parameters<typeof drillReport>[1],
    card: string,
  ): Promise<void> {
    const report = drillReport(state, events);
    if (!report) return;
    const { client, store } = this.options;
    const verdict = report.passed
      ? '✅ *Drill passed.*'
      : `❌ *Drill failed.* ${inert(report.fixes.slice(0, 3).join(' '))}`;
    await this.paced(state.channel);
    await client.chat.postMessage({
      channel: state.channel,
      thread_ts: card,
      text: clip(verdict, LIMITS.fallbackText),
    });
    await this.paced(state.channel);
    await client.files.uploadV2({
      channel_id: state.channel,
      thread_ts: card,
      filename: `${state.id}-report.md`,
      content: reportMarkdown(report, state.runbook?.title ?? state.summary),
      title: 'Drill report',
    });
    await store.recordPosted(state.id, { reported: true });
    this.log('info', `drill report posted: ${report.passed ? 'passed' : 'failed'}`, { incident: state.id });
  }

  /** A status update that Slack refuses for good (no such channel, not invited) is reported in the thread, not retried forever. */
  private async communicate(
    state: IncidentState,
    card: string,
    message: { channel: string; text: string },
  ): Promise<void> {
    try {
      await this.paced(message.channel);
      await this.options.client.chat.postMessage({
        channel: message.channel,
        text: clip(message.text, LIMITS.fallbackText),
      });
    } catch (error) {
      const code = (error as { code?: string; data?: { error?: string } }).code;
      if (code !== 'slack_webapi_platform_error') throw error;
      const why = (error as { data?: { error?: string } }).data?.error ?? 'refused';
      await this.paced(state.channel);
      await this.options.client.chat.postMessage({
        channel: state.channel,
        thread_ts: card,
        text: clip(
          `⚠️ Could not post the planned update to ${inert(message.channel)} (${inert(why)}); invite Lifeboat to that channel or post it by hand:\n> ${message.text.replaceAll('\n', '\n> ')}`,
          LIMITS.fallbackText,
        ),
      });
    }
  }

  private summary(state: IncidentState): string {
    return clip(`${state.mode === 'drill' ? 'DRILL' : 'INCIDENT'} ${state.id}: ${inert(state.summary)}`, 500);
  }

  private cardOptions(incidentId?: string) {
    const progress = incidentId ? this.progress.get(incidentId) : undefined;
    return {
      now: this.clock(),
      ...(this.options.drillClusters ? { drillClusters: this.options.drillClusters } : {}),
      ...(progress ? { progress } : {}),
    };
  }

  /** Coalesced: many events in a burst make one chat.update, at most one per window. Settles once it ran. */
  private cardUpdate(incidentId: string, channel: string, ts: string): Promise<void> {
    const scheduled = this.pending.get(incidentId);
    if (scheduled) return scheduled.done;
    const window = this.options.coalesceMs ?? 1000;
    const wait = Math.max(0, (this.lastUpdate.get(incidentId) ?? 0) + window - this.clock());
    let timer: NodeJS.Timeout | undefined;
    let cancel = () => {};
    const done = new Promise<void>((resolve, reject) => {
      // Stopping: the entry stays unacked, for another replica (or this one, restarted).
      cancel = () => reject(new Error('presenter stopped before the card update'));
      timer = setTimeout(() => {
        this.pending.delete(incidentId);
        // Paced thread posts are still going out: the entry being published updates the card when they are done.
        if (this.publishing.has(incidentId)) return resolve();
        this.lastUpdate.set(incidentId, this.clock());
        this.updateCard(incidentId, channel, ts).then(resolve, reject);
      }, wait);
      timer.unref();
    });
    if (timer) this.pending.set(incidentId, { timer, done, cancel });
    return done;
  }

  private async updateCard(incidentId: string, channel: string, ts: string): Promise<void> {
    const { events } = await this.options.store.read(incidentId);
    // Events the thread has not shown yet: their (paced) posting ends by updating the card, so it never runs ahead.
    const { posted } = await this.options.store.outbox(incidentId);
    if (posted < events.length) return;
    const state = replay(incidentId, events);
    if (!state) return;
    await this.options.client.chat.update({
      channel,
      ts,
      text: this.summary(state),
      blocks: incidentCard(state, this.cardOptions(incidentId)),
    });
    this.shown.set(incidentId, events.length);
  }

  /** A running step's latest output line: kept for the card and shown at the next (coalesced) update. */
  showProgress(incidentId: string, step: string, line: string): void {
    this.progress.set(incidentId, `${step}: ${line}`);
    void this.options.store
      .outbox(incidentId)
      .then((outbox) =>
        outbox.card ? this.cardUpdate(incidentId, outbox.channel ?? '', outbox.card) : undefined,
      )
      // Progress only: the next event's entry updates the card again.
      .catch((error: unknown) =>
        this.log('warn', 'card progress update failed', { incident: incidentId, error: errorMessage(error) }),
      );
  }

  /** Waits for scheduled card updates; for shutdown and tests. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  stop(): void {
    for (const { timer, cancel } of this.pending.values()) {
      clearTimeout(timer);
      cancel();
    }
    this.pending.clear();
  }
}
