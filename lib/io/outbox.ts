import { db } from '@/lib/db';
import { nowOf, type WriteOptions } from '@/lib/db/mutations';
import type { EntityKind } from '@/lib/model';

/**
 * The bulk twin of the mutations' `enqueue`: one outbox row per record, added in one request.
 * Callers are inside a transaction that includes `db.outbox`, so records and rows land together.
 */
export async function bulkEnqueue(entity: EntityKind, ids: string[], o?: WriteOptions): Promise<void> {
  if (o?.origin === 'remote' || !ids.length) return;
  const at = nowOf(o);
  await db.outbox.bulkAdd(ids.map((entityId) => ({ entity, entityId, op: 'upsert' as const, at })));
}
