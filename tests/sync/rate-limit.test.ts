// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { takeAll, TokenBucket, type Spent } from '@/lib/sync/rate-limit';
import type { Clock } from '@/lib/sync/types';

/** A clock whose sleeps end only when the test moves time on. */
function steppedClock(): Clock & { advance(ms: number): Promise<void>; t: number } {
  const timers: { at: number; resolve: () => void }[] = [];
  const c = {
    t: 0,
    now: () => c.t,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: c.t + Math.max(0, ms), resolve })),
    random: () => 0.5,
    async advance(ms: number) {
      const end = c.t + ms;
      for (;;) {
        await settleMicrotasks();
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        c.t = next.at;
        next.resolve();
      }
      c.t = end;
      await settleMicrotasks();
    },
  };
  return c;
}

async function settleMicrotasks() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Resolves to the clock's time when `p` resolves, or 'pending'. */
function track<T>(p: Promise<T>, clock: { t: number }) {
  const s: { at: number | 'pending'; value?: T } = { at: 'pending' };
  void p.then((v) => {
    s.at = clock.t;
    s.value = v;
  });
  return s;
}

describe('token bucket', () => {
  it('a settle while every token is out wakes the queue exactly one window after the answer', async () => {
    const clock = steppedClock();
    const b = new TokenBucket(1, 1_000, clock, 0);
    const first = await b.take();
    const next = track(b.take(), clock);
    await clock.advance(300);
    expect(next.at).toBe('pending');
    b.settle(first);
    await clock.advance(999);
    expect(next.at).toBe('pending');
    await clock.advance(1);
    expect(next.at).toBe(1_300);
  });

  it('serves waiters in arrival order', async () => {
    const clock = steppedClock();
    const b = new TokenBucket(2, 1_000, clock, 0);
    const held = [await b.take(), await b.take()];
    const order: string[] = [];
    const waiters = ['a', 'b', 'c'].map((n) => b.take().then((s) => (order.push(n), s)));
    for (const s of held) b.settle(s);
    await clock.advance(1_000);
    expect(order).toEqual(['a', 'b']);
    b.settle(await waiters[0]!);
    await clock.advance(1_000);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('a newcomer does not jump the queue when a token comes back', async () => {
    const clock = steppedClock();
    const b = new TokenBucket(1, 1_000, clock, 0);
    b.settle(await b.take());
    const queued = track(b.take(), clock);
    await clock.advance(1_000);
    expect(queued.at).toBe(1_000);
    expect(b.tryTake()).toBeUndefined();
  });

  it('a 429 holds every free token for the wait, and tokens still out come back a window after their answer', async () => {
    const clock = steppedClock();
    const b = new TokenBucket(2, 1_000, clock, 0);
    const out = await b.take();
    b.drainFor(5_000);
    const one = track(b.take(), clock);
    const two = track(b.take(), clock);
    await clock.advance(4_999);
    expect(one.at).toBe('pending');
    await clock.advance(1);
    expect(one.at).toBe(5_000);
    // The second waits for the request that was out during the 429.
    await clock.advance(3_000);
    expect(two.at).toBe('pending');
    b.settle(out);
    await clock.advance(1_000);
    expect(two.at).toBe(9_000);
  });

  it('a token never used is free again at once, and an aborted waiter leaves the queue', async () => {
    const clock = steppedClock();
    const b = new TokenBucket(1, 1_000, clock, 0);
    const s = await b.take();
    const ctl = new AbortController();
    const gone = b.take(ctl.signal);
    const kept = track(b.take(), clock);
    ctl.abort(new Error('stop'));
    await expect(gone).rejects.toThrow('stop');
    b.release(s);
    await clock.advance(0);
    expect(kept.at).toBe(0);
  });

  it('takeAll gives back the tokens it holds when stopped while waiting for another bucket', async () => {
    const clock = steppedClock();
    const general = new TokenBucket(1, 1_000, clock, 0);
    const search = new TokenBucket(1, 1_000, clock, 0);
    const busy = await search.take();
    const ctl = new AbortController();
    const p = takeAll([general, search], ctl.signal);
    await clock.advance(0);
    expect(general.waitMs()).toBe(Infinity);
    ctl.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(general.waitMs()).toBe(0);
    search.settle(busy);
  });

  it('never lets a server that counts requests anywhere between send and answer see more than N in a rolling window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ latency: fc.integer({ min: 1, max: 3_000 }), countAt: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 20, maxLength: 120 }),
        async (requests) => {
          const N = 10;
          const W = 1_000;
          const clock = steppedClock();
          const b = new TokenBucket(N, W, clock, 0);
          const counted: number[] = [];
          const sends = requests.map(async (r) => {
            const s: Spent = await b.take();
            const sent = clock.t;
            await clock.sleep(r.latency);
            counted.push(sent + r.countAt * r.latency);
            b.settle(s);
          });
          const all = Promise.all(sends);
          let done = false;
          void all.then(() => (done = true));
          while (!done) await clock.advance(25);
          counted.sort((x, y) => x - y);
          // The vendor's rolling window: no N+1 counts within W of each other.
          for (let i = N; i < counted.length; i++) expect(counted[i]! - counted[i - N]!).toBeGreaterThanOrEqual(W);
        },
      ),
      { numRuns: 60 },
    );
  });
});
