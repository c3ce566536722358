// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { addActivities, createContact, updateContact } from '@/lib/db/mutations';
import { runSync } from '@/lib/sync/engine';
import { getStatus } from '@/lib/sync/store';
import { pushOutbox } from '@/lib/sync/push';
import type { Clock, CrmProvider, PushHooks, PushItem, PushResult } from '@/lib/sync/types';
import { startHubSpotFake, type HubSpotFake } from '../fakes/hubspot/server';
import { fastClock, hsLimits, providerFor } from './helpers';

const clock: Clock = { now: () => Date.now(), sleep: async () => undefined, random: () => 0.5 };

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A provider whose pushes are scripted by the test; batches of `size`. */
function scripted(size: number, push: (items: PushItem[], signal?: AbortSignal, hooks?: PushHooks) => Promise<PushResult[]>, extra: Partial<CrmProvider> = {}): CrmProvider {
  return {
    id: 'hubspot',
    pullKinds: [],
    batchMax: () => size,
    testConnection: async () => ({ accountName: 'x' }),
    push,
    pull: async () => ({ records: [], next: null }),
    listPipelines: async () => [],
    ...extra,
  };
}

const ok = (items: PushItem[]) => items.map((i) => ({ localId: i.localId, status: 'ok' as const, remoteId: `r-${i.localId}` }));
const inflightRows = async () => (await db.syncState.where('key').startsWith('inflight:').toArray()).map((r) => r.value as Record<string, number>);

async function contacts(n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await createContact({ emails: [`p${i}@x.test`], name: `P${i}`, source: { origin: 'manual' } }));
  return out;
}

let fake: HubSpotFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('push pipeline', () => {
  it('marks each batch in flight as one row before it is sent, and drops the row when the batch settles', async () => {
    await contacts(5);
    const seen: Record<string, number>[][] = [];
    const p = scripted(2, async (items) => {
      seen.push(await inflightRows());
      return ok(items);
    });
    const r = await pushOutbox({ provider: p, clock });
    expect(r).toMatchObject({ ok: 5 });
    // Every batch found itself marked, in a row of its own.
    expect(seen[0]!.map((row) => Object.keys(row).length).sort()).toEqual([1, 2, 2]);
    expect(await inflightRows()).toEqual([]);
  });

  it('resumes marks left in the old one-row-per-kind layout: those records are looked up first', async () => {
    const [a, b] = await contacts(2);
    await db.syncState.put({ key: 'inflight:hubspot:contact', value: { [a!.id]: 1234 } });
    const calls: PushItem[] = [];
    const p = scripted(10, async (items) => {
      calls.push(...items);
      return ok(items);
    });
    await pushOutbox({ provider: p, clock });
    expect(calls.find((i) => i.localId === a!.id)).toMatchObject({ resumed: true, attemptStartedAt: 1234 });
    expect(calls.find((i) => i.localId === b!.id)).toMatchObject({ resumed: false });
    expect(await db.syncState.where('key').startsWith('inflight:').count()).toBe(0);
  });

  it('keeps the marks of records left to retry, and a later run finds them', async () => {
    const [a] = await contacts(2);
    const first = scripted(10, async (items) => items.map((i) => (i.localId === a!.id ? { localId: i.localId, status: 'retry' as const } : { localId: i.localId, status: 'ok' as const, remoteId: 'rb' })));
    await pushOutbox({ provider: first, clock });
    expect(await inflightRows()).toEqual([{ [a!.id]: expect.any(Number) }]);
    const calls: PushItem[] = [];
    await pushOutbox({ provider: scripted(10, async (items) => (calls.push(...items), ok(items))), clock });
    expect(calls.map((i) => [i.localId, i.resumed])).toEqual([[a!.id, true]]);
    expect(await inflightRows()).toEqual([]);
  });

  it('deletes exactly the settled outbox rows: a refused record’s row between them stays', async () => {
    const [a, b, c] = await contacts(3);
    await updateContact(a!.id, { name: 'A again' });
    const p = scripted(10, async (items) => items.map((i) => (i.localId === b!.id ? { localId: i.localId, status: 'invalid' as const, error: { httpStatus: 400, message: 'bad' } } : { localId: i.localId, status: 'ok' as const, remoteId: `r-${i.localId}` })));
    await pushOutbox({ provider: p, clock });
    expect((await db.outbox.toArray()).map((r) => r.entityId)).toEqual([b!.id]);
    expect((await db.contacts.get(c!.id))!.remoteIds.hubspot).toBe(`r-${c!.id}`);
  });

  it('stores remote ids the provider reports early, once its network is quiet, before the push settles', async () => {
    const [a, b] = await contacts(2);
    const quiet = deferred();
    const reported = deferred();
    const stop = new AbortController();
    const p = scripted(
      10,
      async (items, signal, hooks) => {
        hooks?.saved?.(items.map((i) => ({ localId: i.localId, remoteId: `r-${i.localId}` })));
        reported.resolve();
        // The rest of the push (associations) waits until the run is killed.
        await new Promise((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason)));
        return [];
      },
      { quiet: () => quiet.promise },
    );
    const run = pushOutbox({ provider: p, clock, signal: stop.signal });
    await reported.promise;
    await new Promise((r) => setTimeout(r, 20));
    // Requests on the wire: the ids wait.
    expect((await db.contacts.get(a!.id))!.remoteIds).toEqual({});
    quiet.resolve();
    await expect.poll(async () => (await db.contacts.get(a!.id))!.remoteIds.hubspot).toBe(`r-${a!.id}`);
    expect((await db.contacts.get(b!.id))!.remoteIds.hubspot).toBe(`r-${b!.id}`);
    expect(await db.remoteMap.count()).toBe(2);
    stop.abort(new Error('killed'));
    await expect(run).rejects.toThrow('killed');
    // Not settled: the rows and marks stay, and the next run updates the records it now knows.
    expect(await db.outbox.count()).toBe(2);
    const calls: PushItem[] = [];
    await pushOutbox({ provider: scripted(10, async (items) => (calls.push(...items), ok(items))), clock });
    expect(calls.map((i) => [i.remoteId, i.resumed])).toEqual([
      [`r-${a!.id}`, true],
      [`r-${b!.id}`, true],
    ]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('reads a mostly queued table in pages and still sends each record once, in its current state', async () => {
    const [c] = await contacts(1);
    await db.outbox.clear();
    await addActivities(Array.from({ length: 9 }, (_, k) => ({ kind: 'note' as const, occurredAt: k, contactIds: [c!.id], subject: `n${k}` })));
    const first = (await db.activities.toArray())[0]!;
    await db.activities.update(first.id, { subject: 'edited' });
    await db.contacts.update(c!.id, { remoteIds: { hubspot: 'rc' } });
    const calls: PushItem[][] = [];
    const r = await pushOutbox({ provider: scripted(2, async (items) => (calls.push(items), ok(items))), clock });
    expect(r.ok).toBe(9);
    expect(calls.map((b) => b.length)).toEqual([2, 2, 2, 2, 1]);
    const sent = calls.flat();
    expect(new Set(sent.map((i) => i.localId)).size).toBe(9);
    expect(sent.find((i) => i.localId === first.id)!.record.value).toMatchObject({ subject: 'edited' });
    expect(sent.every((i) => i.links.contactIds[0] === 'rc')).toBe(true);
  });
});

describe('progress', () => {
  it('is written while the push runs at most once a second of sync time, and cleared at the end', async () => {
    await contacts(6);
    let t = 0;
    const c: Clock = { now: () => t, sleep: async () => undefined, random: () => 0.5 };
    const put = vi.spyOn(db.syncState, 'put');
    const p = scripted(1, async (items) => {
      t += 600;
      return ok(items);
    });
    const r = await runSync({ provider: p, clock: c, pull: false });
    expect(r.push).toMatchObject({ ok: 6 });
    const written = put.mock.calls.map(([row]) => row as { key: string; value: { progress?: { done: number } } }).filter((row) => row.key === 'status:hubspot' && row.value.progress);
    // Batches settle 600 ms apart: progress after the 1st, 3rd and 5th.
    expect(written.map((row) => row.value.progress!.done)).toEqual([1, 3, 5]);
    expect((await getStatus('hubspot')).progress).toBeUndefined();
    put.mockRestore();
  });
});

describe('HubSpot pipelining against the fake', () => {
  it('sends every batch’s upsert before any association while tokens allow, with no 429', async () => {
    fake = await startHubSpotFake(hsLimits());
    const fc = fastClock();
    const [c] = await contacts(1);
    await runSync({ provider: providerFor('hubspot', fake.url, 'pat-test', fc), clock: fc, pull: false });
    await addActivities(Array.from({ length: 450 }, (_, k) => ({ kind: 'email' as const, occurredAt: k, contactIds: [c!.id], subject: `e${k}`, direction: 'outbound' as const })));
    const routes: string[] = [];
    const recording: typeof fetch = (input, init) => {
      routes.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    const before = fake.injected.r429;
    const r = await runSync({ provider: providerFor('hubspot', fake.url, 'pat-test', fc, { fetch: recording }), clock: fc, pull: false });
    expect(r.push).toMatchObject({ ok: 450, retry: 0 });
    expect(routes.slice(0, 5).every((p) => p.endsWith('/batch/upsert'))).toBe(true);
    expect(routes.slice(5).every((p) => p.includes('/associations/'))).toBe(true);
    expect(fake.injected.r429).toBe(before);
    expect(fake.objects.emails!.size).toBe(450);
  });
});
