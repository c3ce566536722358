import type { Clock } from './types';

/**
 * A token bucket of `tokens` whose spent tokens each come back one window after use.
 *
 * Why not a constant refill rate: vendors count a rolling window (HubSpot 100 per rolling 10 s).
 * A bucket of capacity C refilling at C/W lets C + C requests through in the first window and
 * gets 429s; halving it to stay safe halves throughput. Returning each token exactly one window
 * after it was spent never exceeds the rolling limit and still reaches it.
 */
export class TokenBucket {
  private spent: number[] = [];
  readonly windowMs: number;

  constructor(
    readonly tokens: number,
    windowMs: number,
    private readonly clock: Clock,
    /** The vendor starts its window when a request arrives, a little after we send it. */
    marginRatio = 0.02,
  ) {
    this.windowMs = windowMs * (1 + marginRatio);
  }

  /** Milliseconds until a token is free (0 = now). */
  waitMs(): number {
    const now = this.clock.now();
    while (this.spent.length && this.spent[0]! + this.windowMs <= now) this.spent.shift();
    if (this.spent.length < this.tokens) return 0;
    return this.spent[0]! + this.windowMs - now;
  }

  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const w = this.waitMs();
      if (w <= 0) {
        this.spent.push(this.clock.now());
        return;
      }
      await this.clock.sleep(w, signal);
    }
  }

  /** After a 429 the vendor's window is full whatever we counted: hold every token until `ms` from now. */
  drainFor(ms: number): void {
    const until = this.clock.now() + ms - this.windowMs;
    this.spent = Array.from({ length: this.tokens }, () => until);
  }
}

/** Takes one token from each bucket, e.g. HubSpot search costs a general and a search token. */
export async function takeAll(buckets: TokenBucket[], clock: Clock, signal?: AbortSignal): Promise<void> {
  for (;;) {
    const wait = Math.max(0, ...buckets.map((b) => b.waitMs()));
    if (wait === 0) {
      for (const b of buckets) await b.take(signal);
      return;
    }
    await clock.sleep(wait, signal);
  }
}
