/**
 * Slack allows about one message per second per channel, with short bursts
 * (https://api.slack.com/apis/rate-limits, "Posting messages"; chat.postMessage's special tier).
 * The presenter paces itself below that with a token bucket per channel, so a burst of timeline
 * entries (a failed step, its output file, the planned update) is posted in order without a 429.
 */
export type Pace = { readonly burst: number; readonly perSecond: number };

/** Within what Slack tolerates: eight at once (a step's entries, its file, the planned update), then one a second. */
export const SLACK_PACE: Pace = { burst: 8, perSecond: 1 };

export class ChannelPacer {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly pace: Pace,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Waits until the channel may take one more post, and takes it. */
  async take(channel: string): Promise<void> {
    for (;;) {
      const now = this.clock();
      const bucket = this.buckets.get(channel) ?? { tokens: this.pace.burst, at: now };
      bucket.tokens = Math.min(
        this.pace.burst,
        bucket.tokens + ((now - bucket.at) / 1000) * this.pace.perSecond,
      );
      bucket.at = now;
      this.buckets.set(channel, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - bucket.tokens) / this.pace.perSecond) * 1000);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
