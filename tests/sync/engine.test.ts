// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { addActivities, createContact, updateContact } from '@/lib/db/mutations';
import { backoffMs, retryAfterMs } from '@/lib/sync/http';
import { SyncLock } from '@/lib/sync/lock';
import { coalesce, pushOutbox } from '@/lib/sync/push';
import { hubspotRateLimitWait } from '@/lib/sync/providers/hubspot';
import { pipedriveRateLimitWait } from '@/lib/sync/providers/pipedrive';
import { TokenBucket } from '@/lib/sync/rate-limit';
import { resolveConflict } from '@/lib/sync/merge';
import type { Clock, CrmProvider, PushItem, PushResult } from '@/lib/sync/types';

function manualClock(): Clock & { t: number } {
  const c = {
    t: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
    random: () => 0.5,
  };
  return c;
}

/** A provider that records what it was asked to push, in order. */
function recorder(answer: (i: PushItem) => PushResult = (i) => ({ localId: i.localId, status: 'ok', remoteId: `r-${i.localId}` })) {
  const calls: PushItem[][] = [];
  const p: CrmProvider = {
    id: 'hubspot',
    pullKinds: [],
    batchMax: () => 2,
    testConnection: async () => ({ accountName: 'x' }),
    push: async (items) => {
      calls.push(items);
      return items.map(answer);
    },
    pull: async () => ({ records: [], next: null }),
    listPipelines: async () => [],
  };
  return { p, calls };
}

describe('rate limiting and retry policy', () => {
  it('the bucket never lets more than N through in any rolling window, and reaches N', async () => {
    const clock = manualClock();
    const b = new TokenBucket(100, 10_000, clock, 0);
    const sent: number[] = [];
    for (let i = 0; i < 350; i++) {
      const s = await b.take();
      sent.push(clock.t);
      b.settle(s);
    }
    for (let i = 100; i < sent.length; i++) expect(sent[i]! - sent[i - 100]!).toBeGreaterThanOrEqual(10_000);
    // Floor: 350 requests at 100 per 10 s = three full windows of waiting.
    expect(clock.t).toBe(30_000);
  });

  it('a token comes back one window after its answer, not its send', async () => {
    const clock = manualClock();
    const b = new TokenBucket(1, 1_000, clock, 0);
    const s = await b.take();
    clock.t += 300; // the answer took 300 ms
    b.settle(s);
    expect(b.waitMs()).toBe(1_000);
  });

  it('a 429 drains the bucket for the wait', () => {
    const clock = manualClock();
    const b = new TokenBucket(10, 1_000, clock, 0);
    b.drainFor(5_000);
    expect(b.waitMs()).toBe(5_000);
  });

  it('follows Retry-After, then the vendor policy', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), 0)).toBe(3_000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6_000);
    const hs = (body: unknown) => ({ status: 429, headers: new Headers(), body });
    expect(hubspotRateLimitWait(hs({ status: 'error', message: 'You have reached your ten secondly limit.', policyName: 'TEN_SECONDLY_ROLLING' }), 2, 0)).toBe(20_000);
    expect(hubspotRateLimitWait(hs({ status: 'error', message: 'You have reached your secondly limit.' }), 3, 0)).toBe(3_000);
    expect(hubspotRateLimitWait(hs({ status: 'error', message: 'You have reached your daily limit.', policyName: 'DAILY' }), 1, Date.UTC(2026, 0, 1, 23))).toBe(3_600_000);
    expect(pipedriveRateLimitWait({ status: 429, headers: new Headers({ 'x-ratelimit-reset': '2' }), body: null }, 1)).toBe(2_000);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffMs(1, () => 0)).toBe(250);
    expect(backoffMs(1, () => 1)).toBe(500);
    expect(backoffMs(4, () => 0.5)).toBe(3_000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
  });
});

describe('push', () => {
  it('coalesces repeated rows: the last op stands', () => {
    const g = coalesce([
      { seq: 1, entity: 'contact', entityId: 'a', op: 'upsert', at: 0 },
      { seq: 2, entity: 'contact', entityId: 'a', op: 'upsert', at: 0 },
      { seq: 3, entity: 'task', entityId: 't', op: 'upsert', at: 0 },
      { seq: 4, entity: 'contact', entityId: 'a', op: 'delete', at: 0 },
    ]);
    expect(g).toEqual([
      { kind: 'contact', id: 'a', op: 'delete', seqs: [1, 2, 4], maxSeq: 4 },
      { kind: 'task', id: 't', op: 'upsert', seqs: [3], maxSeq: 3 },
    ]);
  });

  it('pushes parents first, batched, each record once, with resolved links', async () => {
    const c = await createContact({ emails: ['a@x.test'], source: { origin: 'manual' } });
    await addActivities([1, 2, 3].map((k) => ({ kind: 'note' as const, occurredAt: k, contactIds: [c.id], subject: `n${k}` })));
    await updateContact(c.id, { name: 'A' });
    await updateContact(c.id, { name: 'A2' });
    const { p, calls } = recorder();
    const r = await pushOutbox({ provider: p, clock: manualClock() });
    expect(r).toMatchObject({ ok: 4, invalid: 0, retry: 0 });
    expect(calls.map((b) => b.map((i) => i.record.kind))).toEqual([['contact'], ['activity', 'activity'], ['activity']]);
    expect(calls[1]![0]!.links.contactIds).toEqual([`r-${c.id}`]);
    expect((await db.contacts.get(c.id))!.remoteIds).toEqual({ hubspot: `r-${c.id}` });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.syncState.where('key').startsWith('inflight:').count()).toBe(0);
    // Recording the id is not a local edit.
    expect((await db.contacts.get(c.id))!.name).toBe('A2');
  });

  it('children wait while their parent is refused', async () => {
    const c = await createContact({ emails: ['a@x.test'], source: { origin: 'manual' } });
    await addActivities([{ kind: 'note', occurredAt: 1, contactIds: [c.id], subject: 'n' }]);
    const { p, calls } = recorder((i) => (i.record.kind === 'contact' ? { localId: i.localId, status: 'invalid', error: { httpStatus: 400, message: 'bad email' } } : { localId: i.localId, status: 'ok', remoteId: 'x' }));
    const r = await pushOutbox({ provider: p, clock: manualClock() });
    expect(r).toMatchObject({ ok: 0, invalid: 1, deferred: 1 });
    expect(calls).toHaveLength(1);
    expect(await db.outbox.count()).toBe(2);
  });

  it('a record refused by the CRM waits for an edit, not a blind retry', async () => {
    const c = await createContact({ emails: ['a@x.test'], source: { origin: 'manual' } });
    const { p, calls } = recorder(() => ({ localId: c.id, status: 'invalid', error: { httpStatus: 400, message: 'nope' } }));
    await pushOutbox({ provider: p, clock: manualClock() });
    await pushOutbox({ provider: p, clock: manualClock() });
    expect(calls).toHaveLength(1);
    await updateContact(c.id, { name: 'fixed' });
    await pushOutbox({ provider: p, clock: manualClock() });
    expect(calls).toHaveLength(2);
  });

  it('an edit made while its push is in flight is pushed again, not lost', async () => {
    const c = await createContact({ emails: ['a@x.test'], source: { origin: 'manual' } });
    let first = true;
    const { p, calls } = recorder();
    const push = p.push;
    p.push = async (items, s) => {
      if (first) {
        first = false;
        await updateContact(c.id, { name: 'during' });
      }
      return push(items, s);
    };
    await pushOutbox({ provider: p, clock: manualClock() });
    expect(await db.outbox.count()).toBe(1);
    await pushOutbox({ provider: p, clock: manualClock() });
    expect(calls.at(-1)![0]!.record.value).toMatchObject({ name: 'during' });
    expect(await db.outbox.count()).toBe(0);
  });

  it('marks items in flight before the request, so a resumed run knows to look first', async () => {
    await createContact({ emails: ['a@x.test'], source: { origin: 'manual' } });
    const { p, calls } = recorder();
    const ctl = new AbortController();
    p.push = async () => {
      ctl.abort(new Error('killed'));
      throw new Error('killed');
    };
    await expect(pushOutbox({ provider: p, clock: manualClock(), signal: ctl.signal })).rejects.toThrow('killed');
    const again = recorder();
    await pushOutbox({ provider: again.p, clock: manualClock() });
    expect(again.calls[0]![0]!.resumed).toBe(true);
    void calls;
  });
});

describe('single flight', () => {
  it('a second runner is refused while the lease is live, and takes over when it lapses', async () => {
    const clock = manualClock();
    const a = new SyncLock(clock, 1_000);
    const b = new SyncLock(clock, 1_000);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    clock.t += 1_001;
    expect(await b.acquire()).toBe(true);
    expect(await a.renew()).toBe(false);
    await b.release();
    expect(await a.acquire()).toBe(true);
  });
});

describe('conflicts', () => {
  it('keep-local re-queues the local value; keep-remote writes the CRM value as a local edit', async () => {
    const c = await createContact({ emails: ['a@x.test'], name: 'Mine', source: { origin: 'manual' } });
    await db.outbox.clear();
    const id1 = await db.conflicts.add({ entity: 'contact', entityId: c.id, providerId: 'hubspot', field: 'name', local: 'Mine', remote: 'Theirs', detectedAt: 1 });
    await resolveConflict(id1, 'local');
    expect((await db.contacts.get(c.id))!.name).toBe('Mine');
    expect(await db.outbox.count()).toBe(1);
    const id2 = await db.conflicts.add({ entity: 'contact', entityId: c.id, providerId: 'hubspot', field: 'name', local: 'Mine', remote: 'Theirs', detectedAt: 2 });
    await resolveConflict(id2, 'remote');
    expect((await db.contacts.get(c.id))!.name).toBe('Theirs');
    expect((await db.conflicts.toArray()).every((x) => x.resolvedAt)).toBe(true);
  });
});
