import { AppError } from '@/lib/errors';
import { Task, effectiveDueAt } from '@/lib/model';
import { RETIRED_PREFIX, isLiveRuleKey } from '../derived';
import { db } from '../index';
import { addActivities } from './activities';
import { enqueue, newId, nowOf, type WriteOptions } from './tx';

export type NewTask = Pick<Task, 'kind' | 'title' | 'dueAt'> & Partial<Pick<Task, 'contactId' | 'dealId' | 'ruleKey' | 'sourceUrl' | 'remoteIds'>>;

export async function createTask(input: NewTask, o?: WriteOptions): Promise<Task> {
  const now = nowOf(o);
  const task = Task.parse({ remoteIds: {}, ...input, id: newId(), status: 'open', createdAt: now, updatedAt: now });
  // Only a keyed task touches the key table, so a keyless one (a CRM pull) needs no wider transaction.
  const keyed = isLiveRuleKey(task.ruleKey);
  return db.transaction('rw', keyed ? [db.tasks, db.ruleKeys, db.outbox] : [db.tasks, db.outbox], async () => {
    await db.tasks.add(task);
    if (keyed) await db.ruleKeys.put({ ruleKey: task.ruleKey!, taskId: task.id });
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
  return db.transaction('rw', [db.tasks, db.activities, db.timeline, db.contacts, db.deals, db.outbox], async () => {
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

/** Whether a task was already notified for its current due time (a snooze or a new due time starts a new instance). */
export function notifiedForCurrentDue(t: Pick<Task, 'notifiedAt' | 'dueAt' | 'snoozedUntil'>): boolean {
  return t.notifiedAt !== undefined && t.notifiedAt >= effectiveDueAt(t);
}

/**
 * Claims tasks for notification: sets `notifiedAt` on those still open and not yet notified
 * for their current due time, in one transaction, and returns just those. Claiming before
 * showing is what makes "never twice" hold when two wake-ups race.
 */
export async function markTasksNotified(ids: string[], o?: WriteOptions): Promise<Task[]> {
  const at = nowOf(o);
  return db.transaction('rw', db.tasks, async () => {
    const claimed: Task[] = [];
    for (const t of await db.tasks.bulkGet(ids)) {
      if (!t || t.deletedAt || t.status !== 'open' || notifiedForCurrentDue(t)) continue;
      const next = { ...t, notifiedAt: at };
      await db.tasks.put(next);
      claimed.push(next);
    }
    return claimed;
  });
}

/** A nudge as the rules describe it: the rule key names rule, subject and instance. */
export type NudgeInput = Pick<Task, 'kind' | 'title' | 'dueAt'> & { ruleKey: string } & Partial<Pick<Task, 'contactId' | 'dealId' | 'sourceUrl'>>;

export interface NudgeWrites {
  create: NudgeInput[];
  /** Rule keys whose condition cleared. */
  retire: string[];
}

/** Where a retired nudge's rule key goes: out of the live key space, kept for the record. */
export const retiredKey = (ruleKey: string, at: number): string => `${RETIRED_PREFIX}${at}:${ruleKey}`.slice(0, 200);

/** A retired nudge's tombstone is kept this long, so a CRM connected meanwhile still learns of it. */
export const RETIRED_KEEP_MS = 30 * 24 * 60 * 60_000;

/**
 * Drops nudge tombstones retired more than `keepMs` ago: each condition that clears leaves one,
 * so without this the task table only grows. A tombstone a CRM holds goes once its deletion has
 * left the outbox (pushed; a refused one stays queued, and so stays); one no CRM ever saw goes
 * with its queued rows. Done nudges stay: they are the rep's record of having acted.
 */
export async function purgeRetiredNudges(now: number, keepMs = RETIRED_KEEP_MS): Promise<number> {
  // Keys read `retired:<ms>:<key>`; epoch ms have 13 digits from 2001 to 2286, so text order is time order.
  const before = `${RETIRED_PREFIX}${now - keepMs}`;
  return db.transaction('rw', db.tasks, db.outbox, db.remoteMap, async () => {
    let purged = 0;
    for (const t of await db.tasks.where('ruleKey').between(RETIRED_PREFIX, before).toArray()) {
      if (!t.deletedAt) continue;
      const queued = await db.outbox.where('[entity+entityId]').equals(['task', t.id]).primaryKeys();
      const crms = Object.keys(t.remoteIds);
      if (crms.length && queued.length) continue;
      await db.outbox.bulkDelete(queued);
      for (const providerId of crms) await db.remoteMap.where('[providerId+kind+localId]').equals([providerId, 'task', t.id]).delete();
      await db.tasks.delete(t.id);
      purged++;
    }
    return purged;
  });
}

/**
 * Applies a nudge reconciliation in one transaction. Idempotent by rule key: a key already
 * stored is never created twice (the unique index would refuse it anyway).
 * Retiring moves the rule key aside (so a later instance may use it) and:
 * - open or dismissed: tombstones the task, with a `delete` outbox row so a synced CRM drops it;
 * - done: leaves it done (the rep's record of having acted);
 * - already tombstoned (say, deleted in the CRM): only the key moves.
 */
export async function applyNudgeWrites(w: NudgeWrites, o?: WriteOptions): Promise<{ created: number; retired: number }> {
  const now = nowOf(o);
  return db.transaction('rw', db.tasks, db.ruleKeys, db.outbox, async () => {
    const keys = w.create.map((n) => n.ruleKey);
    const taken = new Set<string>();
    if (keys.length) for (const t of await db.tasks.where('ruleKey').anyOf(keys).toArray()) if (t.ruleKey) taken.add(t.ruleKey);
    const fresh: Task[] = [];
    for (const n of w.create) {
      if (taken.has(n.ruleKey)) continue;
      taken.add(n.ruleKey);
      fresh.push(Task.parse({ remoteIds: {}, ...n, id: newId(), status: 'open', createdAt: now, updatedAt: now }));
    }
    if (fresh.length) {
      await db.tasks.bulkAdd(fresh);
      await db.ruleKeys.bulkPut(fresh.map((t) => ({ ruleKey: t.ruleKey!, taskId: t.id })));
    }
    if (o?.origin !== 'remote' && fresh.length) await db.outbox.bulkAdd(fresh.map((t) => ({ entity: 'task' as const, entityId: t.id, op: 'upsert' as const, at: now })));

    let retired = 0;
    const gone = w.retire.length ? await db.tasks.where('ruleKey').anyOf(w.retire).toArray() : [];
    if (gone.length) await db.ruleKeys.bulkDelete(gone.map((t) => t.ruleKey!));
    for (const t of gone) {
      const aside = retiredKey(t.ruleKey!, now);
      if (t.deletedAt || t.status === 'done') {
        await db.tasks.update(t.id, { ruleKey: aside });
        continue;
      }
      await db.tasks.update(t.id, { ruleKey: aside, deletedAt: now, updatedAt: now });
      await enqueue('task', t.id, 'delete', o);
      retired++;
    }
    return { created: fresh.length, retired };
  });
}
