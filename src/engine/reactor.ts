import type { Feed, FeedEntry } from './ports/index.js';

export type ReactorOptions = {
  readonly store: Feed;
  /** The consumer group: every replica's reactor of one kind shares it, so each entry is handled once. */
  readonly group: string;
  readonly consumer: string;
  readonly handle: (entry: FeedEntry) => Promise<void>;
  readonly blockMs?: number;
  /** An entry taken by a consumer that has not acked it for this long is taken over. */
  readonly staleMs?: number;
  readonly onError?: (error: unknown, entry?: FeedEntry) => void;
};

/** Reads the event feed through a consumer group: side effects follow events, on any replica. */
export class Reactor {
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: ReactorOptions) {}

  /** One pass: take over stale entries, then read new ones. Returns how many were handled. */
  async tick(): Promise<number> {
    const { store, group, consumer, blockMs = 1000, staleMs = 30_000 } = this.options;
    // Entries taken over from a dead consumer are handled before a new read can fail and drop them.
    const stale = await store.claimStaleFeed(group, consumer, staleMs, 20);
    await this.handleAll(stale);
    const fresh = await store.readFeed(group, consumer, 20, stale.length > 0 ? 1 : blockMs);
    await this.handleAll(fresh);
    return stale.length + fresh.length;
  }

  private async handleAll(entries: readonly FeedEntry[]): Promise<void> {
    for (const entry of entries) {
      try {
        await this.options.handle(entry);
        await this.options.store.ackFeed(this.options.group, entry.id);
      } catch (error) {
        // Not acked: after staleMs another consumer (or this one) takes it again.
        this.options.onError?.(error, entry);
      }
    }
  }

  start(): void {
    this.loop ??= (async () => {
      while (!this.stopped) {
        await this.tick().catch(async (error: unknown) => {
          this.options.onError?.(error);
          await new Promise((resolve) => setTimeout(resolve, 500));
        });
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}
