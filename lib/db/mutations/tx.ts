import type { EntityKind } from '@/lib/model';
import { db } from '../index';

export interface WriteOptions {
  /** The clock, injectable so rules and tests are deterministic. */
  now?: number;
  /**
   * `remote` marks writes that came from a CRM pull: they must not re-enter the outbox,
   * or every pulled record would be pushed straight back.
   */
  origin?: 'local' | 'remote';
}

export const nowOf = (o?: WriteOptions): number => o?.now ?? Date.now();
export const newId = (): string => crypto.randomUUID();

/** Appends the outbox row; callers are always inside a transaction that includes `db.outbox`. */
export async function enqueue(entity: EntityKind, entityId: string, op: 'upsert' | 'delete', o?: WriteOptions): Promise<void> {
  if (o?.origin === 'remote') return;
  await db.outbox.add({ entity, entityId, op, at: nowOf(o) });
}
