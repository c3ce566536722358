import { db } from '@/lib/db';

/**
 * Fault injection below Dexie, on the IndexedDB prototypes fake-indexeddb installs as globals,
 * so every layer above (Dexie, mutations, capture, restore) meets the fault as it would in a
 * browser: through a failed request and an aborted transaction, not through a mocked function.
 */

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Patchable = { prototype: Record<string, Method> };

const g = globalThis as unknown as Record<string, Patchable>;

const STORE_READS = ['get', 'getAll', 'getAllKeys', 'getKey', 'count', 'openCursor', 'openKeyCursor'];
const STORE_WRITES = ['add', 'put', 'delete', 'clear'];
const CURSOR_OPS = ['continue', 'advance', 'continuePrimaryKey', 'update', 'delete'];

interface FakeTransaction {
  _state: string;
  error: DOMException | null;
  _abort(errName: string | null): void;
  abort(): void;
}

/** The transaction a request method runs in, for stores, indexes and cursors alike. */
function txOf(target: unknown): FakeTransaction | undefined {
  const t = target as { transaction?: FakeTransaction; objectStore?: { transaction?: FakeTransaction }; source?: unknown };
  if (t.transaction) return t.transaction;
  if (t.objectStore?.transaction) return t.objectStore.transaction;
  if (t.source) return txOf(t.source);
  return undefined;
}

function patch(cls: string, names: string[], wrap: (orig: Method, name: string) => Method): () => void {
  const proto = g[cls]!.prototype;
  const saved = names.map((n) => [n, proto[n]] as const).filter(([, f]) => typeof f === 'function');
  for (const [n, f] of saved) proto[n] = wrap(f!, n);
  return () => {
    for (const [n, f] of saved) proto[n] = f!;
  };
}

export interface Injection {
  /** Operations counted so far (writes for quotaAt, every IndexedDB op and API call for killAt). */
  readonly ops: number;
  /** Whether the fault was injected: false means the operation under test finished first. */
  readonly fired: boolean;
  restore(): void;
}

/**
 * Storage fills up at the k-th IndexedDB write: the request is issued, then its transaction
 * aborts with a QuotaExceededError DOMException, which is how Chrome reports a full disk (at the
 * write or at commit). fake-indexeddb's own `_abort` rolls the transaction back, as `abort()`
 * would, with the quota error left on `transaction.error`.
 */
export function quotaAt(k: number): Injection {
  let ops = 0;
  let fired = false;
  const wrap = (orig: Method) =>
    function (this: unknown, ...args: unknown[]) {
      const req = orig.apply(this, args);
      if (++ops === k) {
        fired = true;
        const tx = txOf(this)!;
        // Chrome's wording; fake-indexeddb's `_abort(name)` would leave the message empty.
        tx.error = new DOMException('The transaction was aborted because the quota was exceeded.', 'QuotaExceededError');
        tx._state = 'active';
        tx._abort(null);
      }
      return req;
    };
  const undo = [patch('IDBObjectStore', STORE_WRITES, wrap), patch('IDBCursor', ['update', 'delete'], wrap)];
  return {
    get ops() {
      return ops;
    },
    get fired() {
      return fired;
    },
    restore: () => undo.forEach((u) => u()),
  };
}

export class WorkerKilled extends Error {
  constructor() {
    super('the service worker was stopped');
    this.name = 'WorkerKilled';
  }
}

/** Extension APIs the background awaits; a dead worker gets no further with any of them. */
export type ApiSurface = Record<string, object>;

/**
 * The service worker dies at its k-th step, a step being any IndexedDB request, cursor move,
 * transaction start, or call to one of `apis`. From then on nothing more happens: the
 * transaction in flight aborts (uncommitted work is rolled back, as when Chrome stops a worker),
 * and every later IndexedDB operation or API call aborts and throws. `restore()` is the restart.
 */
export function killAt(k: number, apis: ApiSurface = {}): Injection {
  let ops = 0;
  let dead = false;
  const step = () => {
    if (!dead && ++ops === k) dead = true;
    return dead;
  };
  // A request of a dead worker is issued and its transaction aborted under it, so it fails the
  // way IndexedDB fails it (an error event, then the abort), never half-applied.
  const wrap = (orig: Method) =>
    function (this: unknown, ...args: unknown[]) {
      if (!step()) return orig.apply(this, args);
      const tx = txOf(this);
      const req = orig.apply(this, args);
      if (tx && tx._state !== 'finished' && tx._state !== 'committing') tx.abort();
      return req;
    };
  const refuse = (orig: Method) =>
    function (this: unknown, ...args: unknown[]) {
      if (step()) throw new WorkerKilled();
      return orig.apply(this, args);
    };
  const undo = [
    patch('IDBObjectStore', [...STORE_READS, ...STORE_WRITES], wrap),
    patch('IDBIndex', STORE_READS, wrap),
    patch('IDBCursor', CURSOR_OPS, wrap),
    // A dead worker starts no transaction (the browser would refuse: its connection is gone).
    patch('IDBDatabase', ['transaction'], refuse),
  ];
  for (const [, api] of Object.entries(apis)) {
    const o = api as Record<string, unknown>;
    for (const name of Object.keys(o)) {
      const f = o[name];
      if (typeof f !== 'function' || name.startsWith('on')) continue;
      const orig = f as Method;
      o[name] = async function (this: unknown, ...args: unknown[]) {
        if (step()) throw new WorkerKilled();
        return orig.apply(api, args);
      };
      undo.push(() => {
        o[name] = orig;
      });
    }
  }
  return {
    get ops() {
      return ops;
    },
    get fired() {
      return dead;
    },
    restore: () => undo.forEach((u) => u()),
  };
}

/** Every table, every row: what "nothing was written" and "nothing was lost" are checked against. */
export async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of db.tables) out[t.name] = await t.toArray();
  return out;
}

/** Waits for fake-indexeddb to settle aborted transactions and their events. */
export const settle = () => new Promise((r) => setTimeout(r, 0));

/** A new worker: the fault is lifted, the old connection is gone, the next opens the database afresh. */
export async function restartWorkerDb(fault: Injection | undefined): Promise<void> {
  fault?.restore();
  await settle();
  db.close();
  await db.open();
}
