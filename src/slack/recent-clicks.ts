/**
 * Idempotency keys of clicks seen in the last few seconds in this process: a double click or a
 * Slack retry of the same click is answered once, without asking the engine or Slack again.
 */
export class RecentClicks {
  /** Key → when first seen; Map order is arrival order, so expired keys sit at the front. */
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly max = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** True when `key` was seen within the window; otherwise it is recorded and false. */
  repeat(key: string): boolean {
    const now = this.clock();
    for (const [old, at] of this.seenAt) {
      if (now - at < this.windowMs) break;
      this.seenAt.delete(old);
    }
    if (this.seenAt.has(key)) return true;
    for (const old of this.seenAt.keys()) {
      if (this.seenAt.size < this.max) break;
      this.seenAt.delete(old);
    }
    this.seenAt.set(key, now);
    return false;
  }

  /** A click that could not be handled may be tried again at once. */
  forget(key: string): void {
    this.seenAt.delete(key);
  }
}
