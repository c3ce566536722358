import { browser } from 'wxt/browser';

/**
 * Persistent storage for the extension's IndexedDB. Without it the browser may evict the whole
 * store when the disk runs low ("best effort"); with it, data goes only when the user says so.
 * Chrome decides on its own heuristics and answers at once; Firefox may ask the user, which it
 * does only from a click, so the request is made from the options page's buttons.
 *
 * The manifest's `unlimitedStorage` is the stronger guard: Chrome documents it as exempting an
 * extension's storage from quota and eviction, and Firefox grants the extension persistent storage
 * with it. `exempt` is that case when `persisted()` still says no (Chrome answers for the origin's
 * own grant only).
 */
export type PersistState = 'persistent' | 'exempt' | 'best-effort' | 'unsupported';

/** The permissions slice used here; a parameter so tests pass their own. */
export interface PermissionsLike {
  contains(p: { permissions: 'unlimitedStorage'[] }): Promise<boolean>;
}

export async function holdsUnlimitedStorage(perms: PermissionsLike | undefined = browser.permissions): Promise<boolean> {
  try {
    return Boolean(await perms?.contains({ permissions: ['unlimitedStorage'] }));
  } catch {
    return false;
  }
}

/** What the page should say: a best-effort origin holding unlimitedStorage is still kept. */
export const withPermission = (s: PersistState, unlimited: boolean): PersistState => (s === 'best-effort' && unlimited ? 'exempt' : s);

/** The slice of `navigator.storage` used here; a parameter so tests pass their own. */
export interface StorageManagerLike {
  persisted?: () => Promise<boolean>;
  persist?: () => Promise<boolean>;
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

function manager(): StorageManagerLike | undefined {
  return (globalThis.navigator as { storage?: StorageManagerLike } | undefined)?.storage;
}

export async function persistState(s: StorageManagerLike | undefined = manager()): Promise<PersistState> {
  if (!s?.persisted) return 'unsupported';
  try {
    return (await s.persisted()) ? 'persistent' : 'best-effort';
  } catch {
    return 'unsupported';
  }
}

/** Asks for persistence unless it is already granted; never throws (a refusal is an answer). */
export async function requestPersistence(s: StorageManagerLike | undefined = manager()): Promise<PersistState> {
  const now = await persistState(s);
  if (now !== 'best-effort' || !s?.persist) return now;
  try {
    return (await s.persist()) ? 'persistent' : 'best-effort';
  } catch {
    return 'best-effort';
  }
}

export interface StorageUse {
  usage: number;
  quota: number;
}

export async function storageUse(s: StorageManagerLike | undefined = manager()): Promise<StorageUse | undefined> {
  try {
    const e = await s?.estimate?.();
    return e?.usage !== undefined && e.quota ? { usage: e.usage, quota: e.quota } : undefined;
  } catch {
    return undefined;
  }
}

/** What the options page should say, with the permission counted; `ask` requests persistence first. */
export async function storageState(ask = false): Promise<PersistState> {
  const [s, unlimited] = await Promise.all([ask ? requestPersistence() : persistState(), holdsUnlimitedStorage()]);
  return withPermission(s, unlimited);
}
