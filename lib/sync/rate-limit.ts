import { abortError } from './clock';
import type { Clock } from './types';

/** One token handed out; `at` is when it counts as spent from (Infinity while its request is out). */
export interface Spent {
  at: number;
}

const MAX_MARGIN_MS = 10;

interface Waiter {
  resolve(s: Spent): void;
  reject(e: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
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
 * vendor's. Timing from the send is not safe: a fetch may wait in the browser's connection queue
 * or behind the vendor's own queue, arrive late and overlap the next window (a 429 costs HubSpot
 * callers 10 s).
 *
 * Waiters are served first come, first served from one timer, so a hundred requests queued for
 * tokens cost one wake-up per token, and a token settled while every one was out wakes the queue
 * at once instead of at the next poll.
 */
export class TokenBucket {
  private spent: Spent[] = [];
  private readonly queue: Waiter[] = [];
  /** The moment the pending timer fires (at most one timer at a time). */
  private timerAt = Infinity;
  readonly windowMs: number;

  constructor(
    readonly tokens: number,
    windowMs: number,
    private readonly clock: Clock,
    /**
     * Slack for clock granularity on either side, capped: timing from the answer already leaves
     * the vendor's window behind ours by at least the answer's transit.
     */
    marginRatio = 0.005,
  ) {
    this.windowMs = windowMs + Math.min(windowMs * marginRatio, MAX_MARGIN_MS);
  }

  /** Milliseconds until a token is free (0 = now; Infinity = all out with requests in flight). */
  waitMs(): number {
    const now = this.clock.now();
    this.spent = this.spent.filter((s) => s.at + this.windowMs > now);
    if (this.spent.length < this.tokens) return 0;
    let first = Infinity;
    for (const s of this.spent) if (s.at < first) first = s.at;
    return first + this.windowMs - now;
  }

  /** Takes a token now if one is free and nobody queued before us; `settle` it when the answer arrives. */
  tryTake(): Spent | undefined {
    if (this.queue.length || this.waitMs() > 0) return undefined;
    return this.grab();
  }

  /** The answer (or the failure) arrived: the token comes back one window from now. */
  settle(s: Spent): void {
    if (s.at !== Infinity) return;
    s.at = this.clock.now();
    this.pump();
  }

  /** The token was never used (stopped before its request left): it is free again at once. */
  release(s: Spent): void {
    const i = this.spent.indexOf(s);
    if (i >= 0) this.spent.splice(i, 1);
    this.pump();
  }

  /** Waits for a token, in order of arrival. */
  take(signal?: AbortSignal): Promise<Spent> {
    const now = this.tryTake();
    if (now) return Promise.resolve(now);
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<Spent>((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
          reject(abortError(signal));
          // The head may have left: whoever is next may be servable now.
          this.pump();
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.queue.push(w);
      this.pump();
    });
  }

  /**
   * After a 429 the vendor's window is full whatever we counted: no token comes back before `ms`
   * from now. Requests still out keep their tokens (each comes back a window after its answer),
   * and a token already due later than the drain keeps its later time.
   */
  drainFor(ms: number): void {
    const at = this.clock.now() + ms - this.windowMs;
    for (const s of this.spent) if (s.at !== Infinity && s.at < at) s.at = at;
    while (this.spent.length < this.tokens) this.spent.push({ at });
    this.pump();
  }

  private grab(): Spent {
    const s = { at: Infinity };
    this.spent.push(s);
    return s;
  }

  /** Hands free tokens to the queue's head; sets one timer for the next token to come back. */
  private pump(): void {
    while (this.queue.length) {
      const wait = this.waitMs();
      if (wait > 0) {
        // Infinity: every token is out with a request; its settle() pumps again.
        if (wait !== Infinity) this.wakeIn(wait);
        return;
      }
      const w = this.queue.shift()!;
      if (w.onAbort) w.signal!.removeEventListener('abort', w.onAbort);
      w.resolve(this.grab());
    }
  }

  private wakeIn(ms: number): void {
    const at = this.clock.now() + ms;
    // A timer due no later than this one will pump and re-arm as needed.
    if (this.timerAt <= at) return;
    this.timerAt = at;
    void this.clock.sleep(ms).then(() => {
      if (this.timerAt === at) this.timerAt = Infinity;
      this.pump();
    });
  }
}

/**
 * Takes one token from each bucket (HubSpot search costs a general and a search token), always
 * in the given order so two callers can never each hold what the other waits for. Returns a
 * function that settles them all when the answer arrives.
 */
export async function takeAll(buckets: TokenBucket[], signal?: AbortSignal): Promise<() => void> {
  const held: [TokenBucket, Spent][] = [];
  try {
    for (const b of buckets) held.push([b, await b.take(signal)]);
  } catch (e) {
    // Nothing was sent on these tokens.
    for (const [b, s] of held) b.release(s);
    throw e;
  }
  return () => {
    for (const [b, s] of held) b.settle(s);
  };
}
