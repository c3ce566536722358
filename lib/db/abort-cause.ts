import type { DBCore, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';

/**
 * When IndexedDB aborts a transaction on its own (the disk is full, the commit failed), the
 * cause is on `transaction.error`; each pending request only reports a generic AbortError and
 * any later one TransactionInactiveError or InvalidStateError. Dexie hands the caller the request's error, so "out of
 * space" would reach the rep as "aborted". A failed request is answered here with its
 * transaction's error instead, whenever the transaction has one.
 */
const SYMPTOMS = new Set(['AbortError', 'TransactionInactiveError', 'InvalidStateError']);

function causeOf(e: unknown, trans: DBCoreTransaction): unknown {
  const cause = (trans as Partial<IDBTransaction>).error;
  const name = (e as { name?: string } | null)?.name;
  return cause && cause.name !== 'AbortError' && name !== undefined && SYMPTOMS.has(name) ? cause : e;
}

function withCause(t: DBCoreTable): DBCoreTable {
  const wrap =
    <R extends { trans: DBCoreTransaction }, T>(f: (req: R) => Promise<T>) =>
    (req: R): Promise<T> =>
      f(req).catch((e: unknown) => {
        throw causeOf(e, req.trans);
      });
  const mutate = wrap(t.mutate.bind(t));
  return {
    ...t,
    // A write reports its failed requests in the answer (Dexie rejects from them later).
    mutate: (req) =>
      mutate(req).then((res) => 
        res.numFailures
          ? { ...res, failures: Object.fromEntries(Object.entries(res.failures).map(([i, e]) => [i, causeOf(e, req.trans) as Error])) }
          : res,
      ),
    get: wrap(t.get.bind(t)),
    getMany: wrap(t.getMany.bind(t)),
    query: wrap(t.query.bind(t)),
    openCursor: wrap(t.openCursor.bind(t)),
    count: wrap(t.count.bind(t)),
  };
}

export const abortCause: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'abortCause',
  // Below Dexie's own middlewares (cache at -1), so they all see the real cause.
  level: -2,
  create: (down) => ({ ...down, table: (name) => withCause(down.table(name)) }),
};
