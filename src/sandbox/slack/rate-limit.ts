/**
 * Slack's posting limit: "chat.postMessage generally allows posting one message per second per
 * channel", short bursts above it allowed (https://api.slack.com/apis/rate-limits, "Posting
 * messages"). Modelled as a token bucket per channel: `burst` messages at once, refilled at
 * `perSecond`; an empty bucket answers 429 with Retry-After in whole seconds, as Slack does.
 */
export type PostingLimit = { readonly burst: number; readonly perSecond: number };

/** Ten at once, then one a second: bursts pass, a bot that keeps posting faster than Slack allows is slowed. */
export const SLACK_POSTING_LIMIT: PostingLimit = { burst: 10, perSecond: 1 };

export class PostingBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: PostingLimit) {}

  /** Takes one post from the channel's bucket: undefined when allowed, else the seconds to wait. */
  take(channel: string, now: number): number | undefined {
    const { burst, perSecond } = this.limit;
    const bucket = this.buckets.get(channel) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  }
}
