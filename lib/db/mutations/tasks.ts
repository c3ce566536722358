import { AppError } from '@/lib/errors';
import { Task } from '@/lib/model';
import { db } from '../index';
import { addActivities } from './activities';
import { enqueue, newId, nowOf, type WriteOptions } from './tx';

export type NewTask = Pick<Task, 'kind' | 'title' | 'dueAt'> & Partial<Pick<Task, 'contactId' | 'dealId' | 'ruleKey' | 'sourceUrl' | 'remoteIds'>>;

export async function createTask(input: NewTask, o?: WriteOptions): Promise<Task> {
  const now = nowOf(o);
  const task = Task.parse({ remoteIds: {}, ...input, id: newId(), status: 'open', createdAt: now, updatedAt: now });
  return db.transaction('rw', db.tasks, db.outbox, async () => {
    await db.tasks.add(task);
    await enqueue('task', task.id, 'upsert', o);
    return task;
  });
}

export type TaskPatch = Partial<Pick<Task, 'title' | 'dueAt' | 'status' | 'snoozedUntil' | 'notifiedAt' | 'completedAt' | 'sourceUrl'>>;

export async function updateTask(id: string, patch: TaskPatch, o?: WriteOptions): Promise<Task> {
  return db.transaction('rw', db.tasks, db.outbox, async () => {
    const cur = await db.tasks.get(id);
    if (!cur) throw new AppError('not_found', 'That task no longer exists.');
    const next = Task.parse({ ...cur, ...patch, updatedAt: nowOf(o) });
    await db.tasks.put(next);
    // Notification bookkeeping is local state, not something the CRM needs to hear about.
    const onlyBookkeeping = Object.keys(patch).every((k) => k === 'notifiedAt');
    if (!onlyBookkeeping) await enqueue('task', id, 'upsert', o);
    return next;
  });
}

/** Done closes the task and leaves a "task done" entry on the contact's timeline. */
export async function completeTask(id: string, o?: WriteOptions): Promise<Task> {
  const now = nowOf(o);
  return db.transaction('rw', [db.tasks, db.activities, db.timeline, db.outbox], async () => {
    const cur = await db.tasks.get(id);
    if (!cur) throw new AppError('not_found', 'That task no longer exists.');
    if (cur.status === 'done') return cur;
    const next = await updateTask(id, { status: 'done', completedAt: now }, o);
    if (cur.contactId) {
      await addActivities([{ kind: 'task_done', occurredAt: now, contactIds: [cur.contactId], dealId: cur.dealId, subject: cur.title }], o);
    }
    return next;
  });
}

export function snoozeTask(id: string, until: number, o?: WriteOptions): Promise<Task> {
  return updateTask(id, { snoozedUntil: until, notifiedAt: undefined }, o);
}

export function dismissTask(id: string, o?: WriteOptions): Promise<Task> {
  return updateTask(id, { status: 'dismissed' }, o);
}
