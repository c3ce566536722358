import { z } from 'zod';
import { Id, Millis, RemoteIds, Tombstone, WebUrl } from './common';

export const TaskKind = z.enum([
  'follow_up',
  'next_step',
  'no_reply',
  're_engage',
  'stale_deal',
  'missing_next_step',
]);
export type TaskKind = z.infer<typeof TaskKind>;

export const TaskStatus = z.enum(['open', 'done', 'dismissed']);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const Task = z.object({
  id: Id,
  kind: TaskKind,
  title: z.string().min(1).max(500),
  dueAt: Millis,
  status: TaskStatus,
  snoozedUntil: Millis.optional(),
  contactId: Id.optional(),
  dealId: Id.optional(),
  /** Set on nudges: the rule and subject it came from, so each nudge exists once. */
  ruleKey: z.string().max(200).optional(),
  /** The thread or event to reopen from the notification. */
  sourceUrl: WebUrl.optional(),
  notifiedAt: Millis.optional(),
  completedAt: Millis.optional(),
  createdAt: Millis,
  updatedAt: Millis,
  remoteIds: RemoteIds,
  ...Tombstone,
});
export type Task = z.infer<typeof Task>;

/** When a task should next demand attention: its snooze wins over its due time. */
export function effectiveDueAt(t: Pick<Task, 'dueAt' | 'snoozedUntil'>): number {
  return t.snoozedUntil && t.snoozedUntil > t.dueAt ? t.snoozedUntil : t.dueAt;
}
