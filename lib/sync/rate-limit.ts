import type { Clock } from './types';

/** One spent token; `at` is when it may count as spent from (Infinity while its request is out). */
export interface Spent {
  at: number;
}

/**
 * A token bucket of `tokens` whose spent tokens each come back one window after use.
 *
 * Why not a constant refill rate: vendors count a rolling window (HubSpot 100 per rolling 10 s).
 * A bucket of capacity C refilling at C/W lets C + C requests through in the first window and
 * gets 429s; halving it to stay safe halves throughput. Returning each token one window after it
 * was used never exceeds the rolling limit and still reaches it.
 *
 * "After it was used" is measured from the answer, not the send: the vendor counted the request
 * at some moment before we got its answer, so a window timed from the answer always covers the
 * vendor's. With several requests in flight, timing from the send lets one queued behind local
 * work arrive late and overlap the next window (a 429 costs HubSpot callers 10 s).
 */
export class TokenBucket {
  private spent: Spent[] = [];
  readonly windowMs: number;

  constructor(
    readonly tokens: number,
    windowMs: number,
    private readonly clock: Clock,
    /** Slack for clock granularity on either side. */
    marginRatio = 0.005,
  ) {
    this.windowMs = windowMs * (1 + marginRatio);
  }

  /** Milliseconds until a token is free (0 = now; Infinity = all out with requests in flight). */
  waitMs(): number {
    const now = this.clock.now();
    this.spent = this.spent.filter((s) => s.at + this.windowMs > now);
    if (this.spent.length < this.tokens) return 0;
    return Math.min(...this.spent.map((s) => s.at)) + this.windowMs - now;
  }

  /** Takes a token now; call `settle` on the returned handle when the answer (or failure) arrives. */
  tryTake(): Spent | undefined {
    if (this.waitMs() > 0) return undefined;
    const s = { at: Infinity };
    this.spent.push(s);
    return s;
  }

  settle(s: Spent): void {
    s.at = this.clock.now();
  }

  async take(signal?: AbortSignal): Promise<Spent> {
    for (;;) {
      const s = this.tryTake();
      if (s) return s;
      await this.clock.sleep(Math.min(this.waitMs(), 1_000), signal);
    }
  }

  /** After a 429 the vendor's window is full whatever we counted: hold every token until `ms` from now. */
  drainFor(ms: number): void {
    const at = this.clock.now() + ms - this.windowMs;
    this.spent = Array.from({ length: this.tokens }, () => ({ at }));
  }
}

/**
 * Takes one token from each bucket at the same moment (HubSpot search costs a general and a
 * search token). Returns a function that settles them all.
 */
export async function takeAll(buckets: TokenBucket[], clock: Clock, signal?: AbortSignal): Promise<() => void> {
  for (;;) {
    const wait = Math.max(0, ...buckets.map((b) => b.waitMs()));
    if (wait === 0) {
      const held = buckets.map((b) => [b, b.tryTake()!] as const);
      return () => {
        for (const [b, s] of held) b.settle(s);
      };
    }
    // Infinity means every token is out with a request: check again shortly.
    await clock.sleep(Math.min(wait, 1_000), signal);
  }
}
