// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { createContact } from '@/lib/db/mutations';
import { connect, overview, syncNow } from '@/lib/sync/service';
import { keys, patchStatus } from '@/lib/sync/store';
import { startHubSpotFake, type HubSpotFake } from '../fakes/hubspot/server';

/**
 * A service worker stopped mid-sync never releases its IndexedDB lease nor clears the status's
 * `running` flag. The browser frees its Web Lock, though, and that is what these rely on. Found by
 * tests/e2e/specs/worker-death.spec.mjs: in real Chromium the restarted worker's syncs did nothing
 * for the lease's 2 minutes and the options page kept "Sync now" disabled.
 */

/** navigator.locks as the browser gives it: exclusive, `ifAvailable` grants null when held. */
function webLocks() {
  const held = new Set<string>();
  return {
    held,
    async request(name: string, opts: { ifAvailable: boolean }, cb: (lock: unknown) => Promise<unknown>) {
      if (held.has(name)) return cb(null);
      held.add(name);
      try {
        return await cb({ name });
      } finally {
        held.delete(name);
      }
    },
    async query() {
      return { held: [...held].map((name) => ({ name, mode: 'exclusive' })) };
    },
  };
}

let fake: HubSpotFake;
beforeEach(async () => {
  fake = await startHubSpotFake();
  await connect({ providerId: 'hubspot', kind: 'token', secret: 'pat-test', baseUrl: fake.url });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await fake.close();
});

/** The lease a stopped worker left: someone else's, live for two more minutes. */
const deadWorkersLease = () => db.syncState.put({ key: keys.lock, value: { owner: 'stopped-worker', until: Date.now() + 120_000 } });

describe('a worker stopped mid-sync', () => {
  it('holding the Web Lock, the next run takes over the dead lease and pushes', async () => {
    vi.stubGlobal('navigator', { locks: webLocks() });
    await deadWorkersLease();
    await createContact({ emails: ['ana@acme.test'], source: { origin: 'manual' } });
    const report = await syncNow();
    expect(report?.ran).toBe(true);
    expect([...fake.objects.contacts!.values()].map((r) => r.properties.email)).toEqual(['ana@acme.test']);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.syncState.get(keys.lock)).toBeUndefined();
  });

  it('without Web Locks the lease is all there is, so it is respected until it lapses', async () => {
    vi.stubGlobal('navigator', {});
    await deadWorkersLease();
    await createContact({ emails: ['ana@acme.test'], source: { origin: 'manual' } });
    expect((await syncNow())?.ran).toBe(false);
    expect(fake.objects.contacts!.size).toBe(0);
    expect(await db.outbox.count()).toBe(1);
  });

  it('the status says running only while some context holds the Web Lock', async () => {
    const locks = webLocks();
    vi.stubGlobal('navigator', { locks });
    await patchStatus('hubspot', { running: true });
    expect((await overview()).running).toBe(false);
    let during: boolean | undefined;
    await locks.request('threadline-sync', { ifAvailable: true }, async () => {
      during = (await overview()).running;
    });
    expect(during).toBe(true);
    vi.stubGlobal('navigator', {});
    expect((await overview()).running).toBe(true);
  });
});
