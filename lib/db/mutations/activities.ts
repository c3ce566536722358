import { Activity } from '@/lib/model';
import { foldAdded, refreshContactFacts, refreshDealActivity } from '../derived';
import { db } from '../index';
import { enqueue, newId, nowOf, type WriteOptions } from './tx';

export type NewActivity = Omit<Activity, 'id' | 'createdAt' | 'remoteIds' | 'participants'> &
  Partial<Pick<Activity, 'participants' | 'remoteIds'>>;

export interface AddActivitiesResult {
  added: Activity[];
  /** Inputs whose external key was already stored: the idempotent part of capture. */
  existing: Activity[];
}

/** Every activity writer also keeps the facts derived from activities (contacts' emails, deals' last activity). */
const TABLES = () => [db.activities, db.timeline, db.contacts, db.deals, db.outbox];

/**
 * Adds activities, skipping any whose external key is already stored, and links each to its
 * contacts' timelines. One transaction: all of it lands, or none.
 */
export async function addActivities(inputs: NewActivity[], o?: WriteOptions): Promise<AddActivitiesResult> {
  const now = nowOf(o);
  const parsed = inputs.map((i) => Activity.parse({ participants: [], remoteIds: {}, ...i, id: newId(), createdAt: now }));
  return db.transaction('rw', TABLES(), async () => {
    const keys = parsed.map((a) => a.externalKey).filter((k): k is string => Boolean(k));
    const stored = keys.length ? await db.activities.where('externalKey').anyOf(keys).toArray() : [];
    const seen = new Map(stored.map((a) => [a.externalKey!, a]));
    const added: Activity[] = [];
    const existing: Activity[] = [];
    for (const a of parsed) {
      const dup = a.externalKey ? seen.get(a.externalKey) : undefined;
      if (dup) {
        existing.push(dup);
        continue;
      }
      await db.activities.add(a);
      await db.timeline.bulkAdd(a.contactIds.map((contactId) => ({ activityId: a.id, contactId, occurredAt: a.occurredAt, kind: a.kind })));
      await enqueue('activity', a.id, 'upsert', o);
      if (a.externalKey) seen.set(a.externalKey, a);
      added.push(a);
    }
    await foldAdded(db, added);
    return { added, existing };
  });
}

export type ActivityPatch = Partial<Pick<Activity, 'subject' | 'snippet' | 'body' | 'dealId' | 'contactIds' | 'meta'>>;

export async function updateActivity(id: string, patch: ActivityPatch, o?: WriteOptions): Promise<Activity> {
  return db.transaction('rw', TABLES(), async () => {
    const cur = await db.activities.get(id);
    if (!cur) throw new Error('activity not found');
    const next = Activity.parse({ ...cur, ...patch });
    await db.activities.put(next);
    if (patch.contactIds) {
      await db.timeline.where('activityId').equals(id).delete();
      await db.timeline.bulkAdd(next.contactIds.map((contactId) => ({ activityId: id, contactId, occurredAt: next.occurredAt, kind: next.kind })));
    }
    // Moved between contacts or deals, or a new subject on someone's latest email: recount both sides.
    if (!cur.deletedAt) {
      if (cur.kind === 'email') await refreshContactFacts(db, [...cur.contactIds, ...next.contactIds]);
      await refreshDealActivity(db, [cur.dealId, next.dealId].filter((d): d is string => Boolean(d)));
    }
    await enqueue('activity', id, 'upsert', o);
    return next;
  });
}

export async function deleteActivity(id: string, o?: WriteOptions): Promise<void> {
  await db.transaction('rw', TABLES(), async () => {
    const cur = await db.activities.get(id);
    await db.activities.update(id, { deletedAt: nowOf(o) });
    await db.timeline.where('activityId').equals(id).delete();
    // It may have been someone's latest email or its deal's latest activity.
    if (cur && !cur.deletedAt) {
      if (cur.kind === 'email') await refreshContactFacts(db, cur.contactIds);
      if (cur.dealId) await refreshDealActivity(db, [cur.dealId]);
    }
    await enqueue('activity', id, 'delete', o);
  });
}
