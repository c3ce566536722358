import { z } from 'zod';
import { Id, Millis } from './common';

export const EntityKind = z.enum(['contact', 'company', 'deal', 'activity', 'task']);
export type EntityKind = z.infer<typeof EntityKind>;

/**
 * One local change waiting to be pushed. Written in the same transaction as the change,
 * so sync can never miss one. `seq` orders the queue.
 */
export const OutboxEntry = z.object({
  seq: z.number().int().positive().optional(),
  entity: EntityKind,
  entityId: Id,
  op: z.enum(['upsert', 'delete']),
  at: Millis,
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;
