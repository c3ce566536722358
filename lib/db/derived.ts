import Dexie, { type DBCore, type DBCoreMutateRequest, type Middleware, type Table } from 'dexie';
import type { Activity, Contact, Deal, EmailRef, Task } from '@/lib/model';
import type { ThreadlineDB } from './schema';

/*
 * Schema v4 keeps, on the rows the nudge rules read, what they would otherwise gather from
 * hundreds of thousands of activities:
 * - contact.lastOutbound / lastReply: the newest outbound email to them, the newest reply from them;
 * - deal.lastActivityAt: the newest live activity on the deal;
 * - ruleKeys: every task's live rule key, one row each, read with one getAllKeys.
 * The activity writers (lib/db/mutations/activities.ts) fold each change in; the migration and a
 * backup restore rebuild them all. Two contact fields only index those facts and are recomputed
 * from the row itself on every write, whoever writes (see `derivedIndexes`).
 */

/** Index-only contact fields: never shown, never synced, always recomputed from the row. */
export interface ContactIndexFields {
  /** The newest outbound email's time while no later reply from the contact is logged. */
  awaitingReplySince?: number;
  /** Customers only: when they were last touched (or created). Where re-engage looks. */
  customerQuietSince?: number;
}

/** A retired nudge's key is moved here, out of the live key space (see applyNudgeWrites). */
export const RETIRED_PREFIX = 'retired:';

export interface RuleKeyRow {
  ruleKey: string;
  taskId: string;
}

export const isLiveRuleKey = (k: string | undefined): k is string => Boolean(k && !k.startsWith(RETIRED_PREFIX));

type Ordered = Pick<EmailRef, 'id' | 'occurredAt'>;

/** The rules' order for "latest": later, or at the same millisecond the larger id. */
export const isNewer = (a: Ordered, b: Ordered | undefined): boolean => !b || a.occurredAt > b.occurredAt || (a.occurredAt === b.occurredAt && a.id > b.id);

export function withContactIndexes<T extends Partial<Contact> & ContactIndexFields>(c: T): T {
  const out = { ...c };
  delete out.awaitingReplySince;
  delete out.customerQuietSince;
  if (c.deletedAt) return out;
  const o = c.lastOutbound;
  if (o && !((c.lastReply?.occurredAt ?? -1) > o.occurredAt)) out.awaitingReplySince = o.occurredAt;
  if (c.lifecycleStage === 'customer') {
    const at = c.lastTouchedAt ?? c.createdAt;
    if (at !== undefined) out.customerQuietSince = at;
  }
  return out;
}

/**
 * Recomputes the contact index fields on every add and put of a contact, whichever code path
 * writes it (mutations, sync, imports, the migration): they can never drift from the row.
 */
export const derivedIndexes: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'threadline-derived-indexes',
  create: (down) => ({
    ...down,
    table: (name) => {
      const t = down.table(name);
      if (name !== 'contacts') return t;
      return {
        ...t,
        mutate: (req: DBCoreMutateRequest) =>
          t.mutate(req.type === 'add' || req.type === 'put' ? { ...req, values: req.values.map((v) => (v && typeof v === 'object' ? withContactIndexes(v) : v)) } : req),
      };
    },
  }),
};

const refOf = (a: Activity): EmailRef => ({
  id: a.id,
  occurredAt: a.occurredAt,
  ...(a.subject !== undefined && { subject: a.subject }),
  ...(a.sourceUrl !== undefined && { sourceUrl: a.sourceUrl }),
  ...(a.dealId !== undefined && { dealId: a.dealId }),
});

export const senderOf = (a: Pick<Activity, 'participants'>): string | undefined => a.participants.find((p) => p.role === 'from')?.email;

/** Whether `a` is an inbound email from `c` itself (a colleague on CC is no reply). */
const isReplyFrom = (a: Activity, c: Pick<Contact, 'id' | 'emails'>): boolean => {
  const from = senderOf(a);
  return a.kind === 'email' && a.direction === 'inbound' && !a.deletedAt && from !== undefined && c.emails.includes(from) && a.contactIds.includes(c.id);
};
const isOutboundTo = (a: Activity, id: string): boolean => a.kind === 'email' && a.direction === 'outbound' && !a.deletedAt && a.contactIds.includes(id);

export type EmailFacts = Pick<Contact, 'lastOutbound' | 'lastReply'>;

/** The contact's facts after also counting `a`; undefined when `a` changes nothing. Pure. */
export function foldEmail(c: Contact, a: Activity): EmailFacts | undefined {
  if (isOutboundTo(a, c.id) && isNewer(a, c.lastOutbound)) return { lastOutbound: refOf(a), lastReply: c.lastReply };
  if (isReplyFrom(a, c) && isNewer(a, c.lastReply)) return { lastOutbound: c.lastOutbound, lastReply: { id: a.id, occurredAt: a.occurredAt } };
  return undefined;
}

const sameFacts = (a: EmailFacts, b: EmailFacts): boolean => JSON.stringify([a.lastOutbound, a.lastReply]) === JSON.stringify([b.lastOutbound, b.lastReply]);

/** The handle whose transaction is running; passed in, because schema.ts builds on this module. */
type DerivedTables = Pick<ThreadlineDB, 'contacts' | 'deals' | 'activities' | 'timeline'>;

/**
 * Counts newly added activities into their contacts' facts and their deals' last activity.
 * The caller's transaction must include contacts, deals (and activities, timeline).
 */
export async function foldAdded(t: Pick<DerivedTables, 'contacts' | 'deals'>, added: Activity[]): Promise<void> {
  const live = added.filter((a) => !a.deletedAt);
  const emails = live.filter((a) => a.kind === 'email' && (a.direction === 'outbound' || a.direction === 'inbound'));
  const ids = [...new Set(emails.flatMap((a) => a.contactIds))];
  const contacts = ids.length ? await t.contacts.bulkGet(ids) : [];
  for (const c of contacts) {
    if (!c) continue;
    let cur: Contact = c;
    for (const a of emails) {
      const next = foldEmail(cur, a);
      if (next) cur = { ...cur, ...next };
    }
    if (cur !== c) await t.contacts.put(cur);
  }
  const lastOf = new Map<string, number>();
  for (const a of live) if (a.dealId) lastOf.set(a.dealId, Math.max(lastOf.get(a.dealId) ?? -1, a.occurredAt));
  const deals = lastOf.size ? await t.deals.bulkGet([...lastOf.keys()]) : [];
  for (const d of deals) {
    if (!d) continue;
    const at = lastOf.get(d.id)!;
    if (at > (d.lastActivityAt ?? -1)) await t.deals.update(d.id, { lastActivityAt: at });
  }
}

/**
 * Recomputes contacts' facts from their timelines (after a delete, an edit of an activity, or a
 * contact's addresses changing). Walks each timeline newest first and stops once both facts
 * are found and nothing older can beat them.
 */
export async function refreshContactFacts(t: DerivedTables, contactIds: string[]): Promise<void> {
  for (const c of await t.contacts.bulkGet([...new Set(contactIds)])) {
    if (!c) continue;
    const links = await t.timeline
      .where('[contactId+occurredAt]')
      .between([c.id, Dexie.minKey], [c.id, Dexie.maxKey])
      .reverse()
      .filter((l) => l.kind === 'email')
      .toArray();
    let out: Activity | undefined;
    let reply: Activity | undefined;
    for (let i = 0; i < links.length; i += 25) {
      const page = links.slice(i, i + 25);
      for (const a of await t.activities.bulkGet(page.map((l) => l.activityId))) {
        if (!a) continue;
        if (isOutboundTo(a, c.id) && isNewer(a, out)) out = a;
        if (isReplyFrom(a, c) && isNewer(a, reply)) reply = a;
      }
      const oldest = page[page.length - 1]!.occurredAt;
      // Links come newest first: once both are found and strictly newer than what is left, stop.
      if (out && reply && out.occurredAt > oldest && reply.occurredAt > oldest) break;
    }
    const facts: EmailFacts = { lastOutbound: out && refOf(out), lastReply: reply && { id: reply.id, occurredAt: reply.occurredAt } };
    if (sameFacts(facts, c)) continue;
    const next = { ...c, ...facts };
    if (!next.lastOutbound) delete next.lastOutbound;
    if (!next.lastReply) delete next.lastReply;
    await t.contacts.put(next);
  }
}

/** Recomputes deals' last activity: one reverse probe of [dealId+occurredAt] per deal. */
export async function refreshDealActivity(t: Pick<DerivedTables, 'deals' | 'activities'>, dealIds: string[]): Promise<void> {
  for (const id of new Set(dealIds)) {
    const d = await t.deals.get(id);
    if (!d) continue;
    const last = await t.activities
      .where('[dealId+occurredAt]')
      .between([id, Dexie.minKey], [id, Dexie.maxKey])
      .reverse()
      .filter((a) => !a.deletedAt)
      .first();
    if (last?.occurredAt !== d.lastActivityAt) await t.deals.update(id, { lastActivityAt: last?.occurredAt });
  }
}

/**
 * Rebuilds every derived fact from the activities in one scan: the v4 upgrade and a backup
 * restore. `table` is the transaction's table accessor (an upgrade has no typed tables).
 */
export async function rebuildDerived(table: (name: string) => Table): Promise<void> {
  const emailsOf = new Map<string, string[]>();
  await table('contacts')
    .toCollection()
    .each((c: Contact) => void emailsOf.set(c.id, c.emails));
  const out = new Map<string, EmailRef>();
  const reply = new Map<string, Ordered>();
  const dealLast = new Map<string, number>();
  await table('activities')
    .toCollection()
    .each((a: Activity) => {
      if (a.deletedAt) return;
      if (a.dealId && a.occurredAt > (dealLast.get(a.dealId) ?? -1)) dealLast.set(a.dealId, a.occurredAt);
      if (a.kind !== 'email') return;
      for (const id of a.contactIds) {
        if (isOutboundTo(a, id) && isNewer(a, out.get(id))) out.set(id, refOf(a));
        const emails = emailsOf.get(id);
        if (emails && isReplyFrom(a, { id, emails }) && isNewer(a, reply.get(id))) reply.set(id, { id: a.id, occurredAt: a.occurredAt });
      }
    });
  await table('contacts')
    .toCollection()
    .modify((c: Contact) => {
      const o = out.get(c.id);
      const r = reply.get(c.id);
      if (o) c.lastOutbound = o;
      else delete c.lastOutbound;
      if (r) c.lastReply = r;
      else delete c.lastReply;
    });
  await table('deals')
    .toCollection()
    .modify((d: Deal) => {
      const at = dealLast.get(d.id);
      if (at !== undefined) d.lastActivityAt = at;
      else delete d.lastActivityAt;
    });
  const keys: RuleKeyRow[] = [];
  await table('tasks')
    .toCollection()
    .each((t: Task) => {
      if (isLiveRuleKey(t.ruleKey)) keys.push({ ruleKey: t.ruleKey, taskId: t.id });
    });
  await table('ruleKeys').clear();
  await table('ruleKeys').bulkPut(keys);
}
