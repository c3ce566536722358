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

  /**
   * `takeOver`: the caller holds the browser's exclusive Web Lock for sync, which the browser
   * frees when its holder's context dies, so another owner's lease can only be a stopped
   * worker's. Without it a worker stopped mid-run held sync off for the whole lease (2 minutes,
   * then up to the next 5-minute alarm), and the restarted worker's runs did nothing meanwhile.
   */
  async acquire(takeOver = false): Promise<boolean> {
    return db.transaction('rw', db.syncState, async () => {
      const cur = (await db.syncState.get(keys.lock))?.value as Lease | undefined;
      const now = this.clock.now();
      if (cur && cur.owner !== this.owner && cur.until > now && !takeOver) return false;
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

export const WEB_LOCK = 'threadline-sync';

/**
 * Web Locks, where present, make overlapping runs in one browser wait for nothing: the second
 * skips. `fn` learns whether it holds the lock (false only where Web Locks are missing).
 */
export async function withWebLock<T>(fn: (exclusive: boolean) => Promise<T>): Promise<T | undefined> {
  const locks = (globalThis.navigator as { locks?: Locks } | undefined)?.locks;
  if (!locks) return fn(false);
  let ran = false;
  let result: T | undefined;
  await locks.request(WEB_LOCK, { ifAvailable: true }, async (lock) => {
    if (!lock) return;
    ran = true;
    result = await fn(true);
  });
  return ran ? result : undefined;
}

/**
 * Whether a sync runs anywhere in this browser, by the Web Lock, which dies with its holder; the
 * status row's `running` flag is not cleared by a worker stopped mid-run. Undefined without Web Locks.
 */
export async function syncLockHeld(): Promise<boolean | undefined> {
  const locks = (globalThis.navigator as { locks?: { query?(): Promise<{ held?: { name?: string }[] }> } } | undefined)?.locks;
  if (!locks?.query) return undefined;
  const { held = [] } = await locks.query();
  return held.some((l) => l.name === WEB_LOCK);
}
