import Dexie from 'dexie';
import { DEFAULT_SETTINGS, type Activity, type ActivityKind, type Contact, type Deal, type Pipeline, type Settings, type Task } from '@/lib/model';
import { db } from './index';

/** Plain reads. Safe inside `useLiveQuery`: none of them write. */

export async function getSettings(): Promise<Settings> {
  return (await db.settings.get('settings'))?.value ?? DEFAULT_SETTINGS;
}

export async function contactByEmail(email: string): Promise<Contact | undefined> {
  const c = await db.contacts.where('emails').equals(email.trim().toLowerCase()).first();
  return c && !c.deletedAt ? strip(c) : undefined;
}

export async function contactsByEmails(emails: string[]): Promise<Map<string, Contact>> {
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  const out = new Map<string, Contact>();
  if (!wanted.length) return out;
  for (const c of await db.contacts.where('emails').anyOf(wanted).toArray()) {
    if (c.deletedAt) continue;
    for (const e of c.emails) if (wanted.includes(e)) out.set(e, strip(c));
  }
  return out;
}

export interface TimelinePage {
  items: Activity[];
  /** Pass back as `before` for the next page; undefined at the end. */
  next?: { occurredAt: number; activityId: string };
}

/**
 * A contact's activities, newest first, one page at a time: a reverse range scan on
 * [contactId+occurredAt], then one bulk read.
 */
export async function timelineOf(
  contactId: string,
  opts: { limit?: number; before?: { occurredAt: number; activityId: string }; kinds?: ActivityKind[] } = {},
): Promise<TimelinePage> {
  const limit = opts.limit ?? 50;
  const upper = opts.before ? opts.before.occurredAt : Dexie.maxKey;
  let coll = db.timeline
    .where('[contactId+occurredAt]')
    .between([contactId, Dexie.minKey], [contactId, upper], true, true)
    .reverse();
  if (opts.before) {
    const b = opts.before;
    // Same-millisecond neighbours: skip those already shown (ordered by primary key descending).
    coll = coll.filter((l) => l.occurredAt < b.occurredAt || l.activityId < b.activityId);
  }
  if (opts.kinds?.length) {
    const kinds = new Set(opts.kinds);
    coll = coll.filter((l) => kinds.has(l.kind));
  }
  // One read transaction for links and rows: a consistent page, and measurably cheaper than two.
  return db.transaction('r', db.timeline, db.activities, async () => {
    const links = await coll.limit(limit + 1).toArray();
    const page = links.slice(0, limit);
    const acts = (await db.activities.bulkGet(page.map((l) => l.activityId))).filter((a): a is Activity => Boolean(a && !a.deletedAt));
    const last = page[page.length - 1];
    return { items: acts, next: links.length > limit && last ? { occurredAt: last.occurredAt, activityId: last.activityId } : undefined };
  });
}

export async function timelineCount(contactId: string): Promise<number> {
  return db.timeline.where('[contactId+occurredAt]').between([contactId, Dexie.minKey], [contactId, Dexie.maxKey]).count();
}

export async function dealsOfContact(contactId: string): Promise<Deal[]> {
  return (await db.deals.where('contactIds').equals(contactId).toArray()).filter((d) => !d.deletedAt).map(strip);
}

export async function openDeals(): Promise<Deal[]> {
  return (await db.deals.where('status').equals('open').toArray()).filter((d) => !d.deletedAt).map(strip);
}

export async function pipelines(): Promise<Pipeline[]> {
  return db.pipelines.toArray();
}

/** Open tasks due at or before `until`, by due time (snoozed ones count from their snooze). */
export async function dueTasks(until: number): Promise<Task[]> {
  const open = await db.tasks.where('[status+dueAt]').between(['open', Dexie.minKey], ['open', Dexie.maxKey]).toArray();
  return open
    .filter((t) => !t.deletedAt && Math.max(t.dueAt, t.snoozedUntil ?? 0) <= until)
    .sort((a, b) => Math.max(a.dueAt, a.snoozedUntil ?? 0) - Math.max(b.dueAt, b.snoozedUntil ?? 0));
}

export async function openTasks(): Promise<Task[]> {
  return (await db.tasks.where('[status+dueAt]').between(['open', Dexie.minKey], ['open', Dexie.maxKey]).toArray()).filter((t) => !t.deletedAt);
}

export async function outboxSize(): Promise<number> {
  return db.outbox.count();
}

export interface SearchHit {
  kind: 'contact' | 'company' | 'deal';
  id: string;
  label: string;
  detail?: string;
}

/** Prefix search over the `terms` index of contacts, companies and deals. */
export async function search(q: string, limit = 20): Promise<SearchHit[]> {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const first = words[0]!;
  const rest = words.slice(1);
  const matchAll = (terms: string[] | undefined) => rest.every((w) => terms?.some((t) => t.startsWith(w)));
  const [contacts, companies, deals] = await Promise.all([
    db.contacts.where('terms').startsWith(first).distinct().limit(limit * 2).toArray(),
    db.companies.where('terms').startsWith(first).distinct().limit(limit).toArray(),
    db.deals.where('terms').startsWith(first).distinct().limit(limit).toArray(),
  ]);
  const hits: SearchHit[] = [];
  for (const c of contacts) if (!c.deletedAt && matchAll(c.terms)) hits.push({ kind: 'contact', id: c.id, label: c.name || c.emails[0]!, detail: c.emails[0] });
  for (const c of companies) if (!c.deletedAt && matchAll(c.terms)) hits.push({ kind: 'company', id: c.id, label: c.name || c.domain, detail: c.domain });
  for (const d of deals) if (!d.deletedAt && matchAll(d.terms)) hits.push({ kind: 'deal', id: d.id, label: d.name, detail: d.status });
  return hits.slice(0, limit);
}

function strip<T extends { terms?: string[] }>(r: T): Omit<T, 'terms'> {
  const { terms: _t, ...rest } = r;
  return rest;
}
