import { db } from '@/lib/db';
import type { OutboxEntry } from '@/lib/model';

const TABLE_OF: Record<OutboxEntry['entity'], 'contacts' | 'companies' | 'deals' | 'activities' | 'tasks'> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  activity: 'activities',
  task: 'tasks',
};

/**
 * What a half-written store would break: a timeline link without its activity (or the
 * reverse), an activity pointing at a missing contact, an outbox row for a record that does
 * not exist. Returns one line per violation, so a failing test says what is wrong.
 */
export async function integrityProblems(): Promise<string[]> {
  const problems: string[] = [];
  const [contacts, activities, links, outbox] = await Promise.all([db.contacts.toArray(), db.activities.toArray(), db.timeline.toArray(), db.outbox.toArray()]);
  const contactIds = new Set(contacts.map((c) => c.id));
  const acts = new Map(activities.map((a) => [a.id, a]));
  const linkKeys = new Set(links.map((l) => `${l.activityId}|${l.contactId}`));
  for (const l of links) {
    const a = acts.get(l.activityId);
    if (!a) problems.push(`timeline link ${l.activityId}→${l.contactId} has no activity`);
    else if (!a.contactIds.includes(l.contactId)) problems.push(`timeline link ${l.activityId}→${l.contactId} is not among the activity's contacts`);
  }
  for (const a of activities) {
    for (const c of a.contactIds) {
      if (!contactIds.has(c)) problems.push(`activity ${a.id} names missing contact ${c}`);
      if (!a.deletedAt && !linkKeys.has(`${a.id}|${c}`)) problems.push(`activity ${a.id} is missing from contact ${c}'s timeline`);
    }
  }
  for (const o of outbox) {
    if (!(await db.table(TABLE_OF[o.entity]).get(o.entityId))) problems.push(`outbox row ${o.seq} names missing ${o.entity} ${o.entityId}`);
  }
  // Every local record a CRM has not seen must still be queued, or sync would never send it.
  const queued = new Set(outbox.map((o) => o.entityId));
  for (const r of [...contacts, ...activities]) if (!Object.keys(r.remoteIds).length && !queued.has(r.id)) problems.push(`record ${r.id} is neither synced nor queued`);
  return problems;
}

/** Activities per external key: more than one is a duplicated log. */
export async function duplicatedKeys(): Promise<number> {
  const seen = new Map<string, number>();
  for (const a of await db.activities.toArray()) if (a.externalKey) seen.set(a.externalKey, (seen.get(a.externalKey) ?? 0) + 1);
  return [...seen.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
}
