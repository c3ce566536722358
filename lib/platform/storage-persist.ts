/**
 * Persistent storage for the extension's IndexedDB. Without it the browser may evict the whole
 * store when the disk runs low ("best effort"); with it, data goes only when the user says so.
 * Chrome decides on its own heuristics and answers at once; Firefox may ask the user, which it
 * does only from a click, so the request is made from the options page's buttons.
 */
export type PersistState = 'persistent' | 'best-effort' | 'unsupported';

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
