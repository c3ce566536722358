import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createContact } from '@/lib/db/mutations';
import { toAppError } from '@/lib/errors';
import { quotaAt, settle, type Injection } from './faults';

/**
 * lib/db/abort-cause.ts: when IndexedDB aborts a transaction itself, the caller must learn why
 * (the transaction's error), not just that its request was aborted.
 */

let fault: Injection | undefined;
afterEach(() => {
  fault?.restore();
  fault = undefined;
});

const outboxRow = (id: string) => ({ entity: 'contact' as const, entityId: id, op: 'upsert' as const, at: 1 });

async function failure(p: Promise<unknown>): Promise<unknown> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  await settle();
  expect(fault?.fired).toBe(true);
  return e;
}

describe('the abort cause reaches the caller', () => {
  it('a single write', async () => {
    fault = quotaAt(1);
    const e = await failure(db.outbox.add(outboxRow('a')));
    // Dexie's own transaction reports the abort, with the cause inside.
    expect(e).toMatchObject({ name: 'AbortError', inner: { name: 'QuotaExceededError' } });
    expect(toAppError(e).code).toBe('quota_exceeded');
  });

  it('a bulk write', async () => {
    fault = quotaAt(2);
    const e = await failure(db.outbox.bulkAdd([outboxRow('a'), outboxRow('b'), outboxRow('c')]));
    expect(toAppError(e).code).toBe('quota_exceeded');
    expect(await db.outbox.count()).toBe(0);
  });

  it('a bulk error carrying the quota failure (what a bulk write inside a capture rejects with)', () => {
    const quota = new DOMException('The transaction was aborted because the quota was exceeded.', 'QuotaExceededError');
    expect(toAppError(new Dexie.BulkError('timeline.bulkAdd(): 2 of 2 operations failed.', { 0: quota, 1: quota })).code).toBe('quota_exceeded');
    const dup = new DOMException('Key already exists in the object store.', 'ConstraintError');
    expect(toAppError(new Dexie.BulkError('outbox.bulkAdd(): 1 of 1 operations failed.', { 0: dup })).code).toBe('conflict');
  });

  it('a later write in the same transaction, after the abort (its own error is InvalidStateError)', async () => {
    fault = quotaAt(1);
    const e = await failure(
      db.transaction('rw', db.outbox, async () => {
        await db.outbox.add(outboxRow('a')).catch(() => undefined);
        await db.outbox.add(outboxRow('b'));
      }),
    );
    expect(toAppError(e).code).toBe('quota_exceeded');
    expect(await db.outbox.count()).toBe(0);
  });

  it('a mutation nested in an outer transaction, as capture runs them', async () => {
    fault = quotaAt(2);
    const e = await failure(db.transaction('rw', [db.contacts, db.outbox], () => createContact({ emails: ['a@b.example'], source: { origin: 'manual' } })));
    expect(toAppError(e)).toMatchObject({ code: 'quota_exceeded' });
    expect(await db.contacts.count()).toBe(0);
  });

  it('other failures keep their own error: a duplicate key is still a conflict', async () => {
    await db.outbox.add({ ...outboxRow('a'), seq: 5 });
    const e = await db.outbox.bulkAdd([{ ...outboxRow('b'), seq: 5 }]).then(
      () => null,
      (err: unknown) => err,
    );
    expect(toAppError(e).code).toBe('conflict');
  });
});
