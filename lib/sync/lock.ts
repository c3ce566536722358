import { db } from '@/lib/db';
import { keys } from './store';
import type { Clock } from './types';

interface Lease {
  owner: string;
  until: number;
}

/**
 * Single flight across the worker, extension pages and restarts: a lease row in IndexedDB.
 * A killed worker never releases it, so it expires; a live run renews it as it goes.
 */
export class SyncLock {
  readonly owner = crypto.randomUUID();
  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 120_000,
  ) {}

  async acquire(): Promise<boolean> {
    return db.transaction('rw', db.syncState, async () => {
      const cur = (await db.syncState.get(keys.lock))?.value as Lease | undefined;
      const now = this.clock.now();
      if (cur && cur.owner !== this.owner && cur.until > now) return false;
      await db.syncState.put({ key: keys.lock, value: { owner: this.owner, until: now + this.ttlMs } satisfies Lease });
      return true;
    });
  }

  /** False when someone else took over (our lease lapsed): the caller must stop. */
  async renew(): Promise<boolean> {
    return this.acquire();
  }

  async release(): Promise<void> {
    await db.transaction('rw', db.syncState, async () => {
      const cur = (await db.syncState.get(keys.lock))?.value as Lease | undefined;
      if (cur?.owner === this.owner) await db.syncState.delete(keys.lock);
    });
  }
}

type Locks = { request(name: string, opts: { ifAvailable: boolean }, cb: (lock: unknown) => Promise<unknown>): Promise<unknown> };

/** Web Locks, where present, make overlapping runs in one browser wait for nothing: the second skips. */
export async function withWebLock<T>(fn: () => Promise<T>): Promise<T | undefined> {
  const locks = (globalThis.navigator as { locks?: Locks } | undefined)?.locks;
  if (!locks) return fn();
  let ran = false;
  let result: T | undefined;
  await locks.request('threadline-sync', { ifAvailable: true }, async (lock) => {
    if (!lock) return;
    ran = true;
    result = await fn();
  });
  return ran ? result : undefined;
}
