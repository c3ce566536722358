import Dexie from 'dexie';
import { db } from '@/lib/db';
import type { Contact, Deal, Pipeline } from '@/lib/model';
import { DAY_MS } from '@/lib/reminders/calendar';
import { refOf } from './reconcile';
import { ruleOf } from './rules';
import { stageKey, type EmailFact, type NudgeSnapshot } from './types';

/**
 * Store → snapshot, from index reads of the facts schema v4 keeps (lib/db/derived.ts): no
 * activity is read. A contact carries its newest outbound email and newest reply, a deal its
 * last activity, and live rule keys have a table of their own.
 *
 * The no-reply rule looks at an outbound email from the last NO_REPLY_LOOKBACK_DAYS, or at
 * any age while a live no-reply nudge waits on that contact: older silence is the re-engage
 * and stale-deal rules' business.
 */
export const NO_REPLY_LOOKBACK_DAYS = 30;

export interface Loaded {
  snapshot: NudgeSnapshot;
  /** Rule keys of the live nudges the plan may touch. */
  stored: string[];
}

/**
 * The side panel gives each deal's next step its own reminder task under this key
 * (components/panel/actions.ts): such a next step gets no second, "overdue" nudge.
 */
export const PANEL_NEXT_STEP_KEY = 'next-step:';

function stagesOf(pipelines: Pipeline[]): NudgeSnapshot['stages'] {
  const m: NudgeSnapshot['stages'] = new Map();
  for (const p of pipelines) for (const s of p.stages) m.set(stageKey(p.id, s.id), s);
  return m;
}

/**
 * A contact's email facts as the rule's input: the newest outbound email to them and the
 * newest reply from them decide "no reply" as their whole email history would. (One
 * difference: the facts hold the newest email even when it is dated after the clock, which
 * the rule then ignores rather than falling back to the one before; only a skewed clock does
 * that.) None when the outbound one is older than `since` and no live nudge waits on it.
 */
export function emailFactsOf(c: Contact, since: number, waitedOn: boolean): EmailFact[] {
  const o = c.lastOutbound;
  if (!o || (o.occurredAt < since && !waitedOn)) return [];
  const out: EmailFact[] = [{ id: o.id, occurredAt: o.occurredAt, direction: 'outbound', contactIds: [c.id], dealId: o.dealId, subject: o.subject, sourceUrl: o.sourceUrl }];
  if (c.lastReply) out.push({ id: c.lastReply.id, occurredAt: c.lastReply.occurredAt, direction: 'inbound', contactIds: [c.id], from: c.emails[0] });
  return out;
}

function dealActivityOf(deals: Iterable<Deal>): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of deals) if (d.lastActivityAt !== undefined) out.set(d.id, d.lastActivityAt);
  return out;
}

function nextStepTasksOf(keys: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const k of keys) if (k.startsWith(PANEL_NEXT_STEP_KEY)) out.add(k.slice(PANEL_NEXT_STEP_KEY.length));
  return out;
}

/** Live no-reply nudges: contact, and the outbound email the key names. */
function noReplyRefs(keys: string[]): { contactId: string; activityId: string }[] {
  const out = [];
  for (const k of keys) {
    if (ruleOf(k) !== 'no_reply') continue;
    const [, contactId, activityId] = k.split(':');
    if (contactId && activityId) out.push({ contactId, activityId });
  }
  return out;
}

export interface FullLoadOptions {
  /**
   * Start-up, install and panel edits ask for a complete pass, the 30-minute alarm for a
   * periodic one. Since schema v4 both read the same indexes, which already cover every
   * subject (every scope is 'all'); the flag only names the caller's intent.
   */
  complete?: boolean;
  reEngageDays?: number;
}

/** The whole store's nudges, from index reads only. */
export async function loadFull(now: number, opts: FullLoadOptions = {}): Promise<Loaded> {
  const windowStart = now - NO_REPLY_LOOKBACK_DAYS * DAY_MS;
  const reEngageAt = now - (opts.reEngageDays ?? 90) * DAY_MS;
  return db.transaction('r', [db.contacts, db.deals, db.pipelines, db.ruleKeys], async () => {
    // All reads issued at once: IndexedDB pipelines requests within a transaction.
    const [pipelines, dealRows, allKeys, awaiting, silent] = await Promise.all([
      db.pipelines.toArray(),
      db.deals.where('[status+stageId]').between(['open', Dexie.minKey], ['open', Dexie.maxKey]).toArray(),
      // Primary keys of a small table: one getAllKeys, where the tasks' ruleKey index needs a cursor.
      db.ruleKeys.toCollection().primaryKeys(),
      // Unanswered outbound email in the window (or dated ahead of the clock).
      db.contacts.where('awaitingReplySince').aboveOrEqual(windowStart).toArray(),
      // Every customer silent for reEngageDays: the index holds customers only.
      db.contacts.where('customerQuietSince').belowOrEqual(reEngageAt).toArray(),
    ]);
    const stored = allKeys.filter((k) => refOf(k));
    const deals = new Map<string, Deal>();
    for (const d of dealRows) if (!d.deletedAt) deals.set(d.id, d);

    const contacts = new Map<string, Contact>();
    for (const c of [...awaiting, ...silent]) if (!c.deletedAt) contacts.set(c.id, c);
    // People a live no-reply nudge waits on, whatever their facts say now (answered since,
    // or older than the window): they are judged too, so their nudge clears or stays.
    const waitedOn = new Set(noReplyRefs(stored).map((r) => r.contactId));
    const missing = [...waitedOn].filter((id) => !contacts.has(id));
    for (const c of missing.length ? await db.contacts.bulkGet(missing) : []) if (c && !c.deletedAt) contacts.set(c.id, c);

    const emails: EmailFact[] = [];
    for (const c of contacts.values()) emails.push(...emailFactsOf(c, windowStart, waitedOn.has(c.id)));

    return {
      snapshot: {
        contacts,
        // Complete by construction: every silent customer and every contact with an unanswered
        // email in the window or a live nudge is loaded, and no other contact can need a nudge.
        contactScope: 'all',
        noReplyScope: 'all',
        deals,
        dealScope: 'all',
        stages: stagesOf(pipelines),
        emails,
        dealLastActivityAt: dealActivityOf(deals.values()),
        nextStepTasks: nextStepTasksOf(allKeys),
      },
      stored,
    };
  });
}

/**
 * Only what one capture touched: its contacts, their deals, their email facts, and the
 * nudges about them. Small by construction, so it runs right after every log.
 */
export async function loadForContacts(contactIds: string[], now: number): Promise<Loaded> {
  const windowStart = now - NO_REPLY_LOOKBACK_DAYS * DAY_MS;
  const ids = [...new Set(contactIds)];
  return db.transaction('r', [db.contacts, db.deals, db.pipelines, db.tasks], async () => {
    const [pipelines, contactRows, dealRows, byContact] = await Promise.all([
      db.pipelines.toArray(),
      db.contacts.bulkGet(ids),
      db.deals.where('contactIds').anyOf(ids).distinct().toArray(),
      db.tasks.where('contactId').anyOf(ids).toArray(),
    ]);
    const dealIds = [...new Set([...dealRows.map((d) => d.id), ...byContact.flatMap((t) => (t.dealId ? [t.dealId] : []))])];
    const byDeal = dealIds.length ? await db.tasks.where('dealId').anyOf(dealIds).toArray() : [];
    const relatedKeys = [...byContact, ...byDeal].flatMap((t) => (t.ruleKey ? [t.ruleKey] : []));
    const stored = [...new Set(relatedKeys.filter((k) => refOf(k)))];

    const waitedOn = new Set(noReplyRefs(stored).map((r) => r.contactId));
    const contacts = new Map<string, Contact>();
    const emails: EmailFact[] = [];
    for (const c of contactRows) {
      if (!c || c.deletedAt) continue;
      contacts.set(c.id, c);
      emails.push(...emailFactsOf(c, windowStart, waitedOn.has(c.id)));
    }
    const deals = new Map<string, Deal>();
    for (const d of dealRows) if (d.status === 'open' && !d.deletedAt) deals.set(d.id, d);

    const scope = new Set(ids);
    return {
      snapshot: { contacts, contactScope: scope, noReplyScope: scope, deals, dealScope: new Set(dealIds), stages: stagesOf(pipelines), emails, dealLastActivityAt: dealActivityOf(deals.values()), nextStepTasks: nextStepTasksOf(relatedKeys) },
      stored,
    };
  });
}
