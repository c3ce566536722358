import Dexie from 'dexie';
import { db } from '@/lib/db';
import type { Activity, Contact, Deal, Pipeline } from '@/lib/model';
import { DAY_MS } from '@/lib/reminders/calendar';
import { refOf } from './reconcile';
import { ruleOf } from './rules';
import { stageKey, type EmailFact, type NudgeSnapshot } from './types';

/**
 * Store → snapshot, with index reads only. The no-reply rule looks at outbound email from
 * the last NO_REPLY_LOOKBACK_DAYS (plus whatever an open no-reply nudge still points at):
 * older silence is the re-engage and stale-deal rules' business. Stale deals scan the same
 * window and look up, per deal, only those with no activity in it.
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

function emailFact(a: Activity): EmailFact {
  return {
    id: a.id,
    occurredAt: a.occurredAt,
    direction: a.direction,
    contactIds: a.contactIds,
    dealId: a.dealId,
    subject: a.subject,
    sourceUrl: a.sourceUrl,
    from: a.participants.find((p) => p.role === 'from')?.email,
  };
}

/** Activities that happened since `since` (or are scheduled later), tombstones dropped. */
async function activitiesSince(since: number): Promise<Activity[]> {
  return (await db.activities.where('occurredAt').aboveOrEqual(since).toArray()).filter((a) => !a.deletedAt);
}

/** A contact's email activities from `since`, through the [contactId+occurredAt] timeline index. */
async function emailsOfContactSince(contactId: string, since: number): Promise<Activity[]> {
  const links = await db.timeline
    .where('[contactId+occurredAt]')
    .between([contactId, since], [contactId, Dexie.maxKey])
    .filter((l) => l.kind === 'email')
    .toArray();
  const acts = await db.activities.bulkGet(links.map((l) => l.activityId));
  return acts.filter((a): a is Activity => Boolean(a && !a.deletedAt));
}

/** Newest activity on each deal not already known, one reverse index probe per deal. */
async function fillDealLastActivity(dealIds: string[], known: Map<string, number>): Promise<void> {
  const missing = dealIds.filter((id) => !known.has(id));
  // No filter: a plain bounded reverse read lets Dexie use one request, not a cursor walk.
  const lasts = await Promise.all(
    missing.map((id) =>
      db.activities
        .where('[dealId+occurredAt]')
        .between([id, Dexie.minKey], [id, Dexie.maxKey])
        .reverse()
        .limit(3)
        .toArray(),
    ),
  );
  lasts.forEach((rows, i) => {
    const a = rows.find((r) => !r.deletedAt);
    if (a) known.set(missing[i]!, a.occurredAt);
  });
}

function noteDealActivity(acts: Activity[], into: Map<string, number>): void {
  for (const a of acts) if (a.dealId && a.occurredAt > (into.get(a.dealId) ?? -1)) into.set(a.dealId, a.occurredAt);
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
   * Complete: every contact is read (the re-engage rule has no index on lifecycle stage) and
   * the no-reply window is NO_REPLY_LOOKBACK_DAYS. Run at start-up, install and after edits
   * from the side panel, so nothing missed while the browser was closed stays missed.
   * Periodic (every 30 min): only contacts whose silence crosses `reEngageDays` around now
   * (a slice of the lastTouchedAt index), the people of the recent email, and the people of
   * live nudges; the window is PERIODIC_WINDOW_DAYS.
   */
  complete?: boolean;
  reEngageDays?: number;
}

export const PERIODIC_WINDOW_DAYS = 16;
/** The re-engage slice reaches this far back: periodic passes several days apart still meet. */
export const RE_ENGAGE_SLICE_DAYS = 7;

/** Deal id → last activity recorded in its live stale nudge's key. */
function staleAnchors(keys: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of keys) {
    if (ruleOf(k) !== 'stale_deal') continue;
    const [, dealId, at] = k.split(':');
    const t = Number(at);
    if (dealId && Number.isFinite(t) && t > (out.get(dealId) ?? -1)) out.set(dealId, t);
  }
  return out;
}

/** The whole store's nudges: periodic or complete (see FullLoadOptions). */
export async function loadFull(now: number, opts: FullLoadOptions = {}): Promise<Loaded> {
  const windowStart = now - (opts.complete ? NO_REPLY_LOOKBACK_DAYS : PERIODIC_WINDOW_DAYS) * DAY_MS;
  const reEngageAt = now - (opts.reEngageDays ?? 90) * DAY_MS;
  return db.transaction('r', [db.contacts, db.deals, db.pipelines, db.activities, db.timeline, db.tasks], async () => {
    const [pipelines, dealRows, recent, allKeys, sliceRows] = await Promise.all([
      db.pipelines.toArray(),
      db.deals.where('[status+stageId]').between(['open', Dexie.minKey], ['open', Dexie.maxKey]).toArray(),
      activitiesSince(windowStart),
      // Keys only: a stored rule key is a live nudge, and names its subject and instance.
      db.tasks.where('ruleKey').aboveOrEqual('').keys() as Promise<string[]>,
      opts.complete ? Promise.resolve([] as Contact[]) : db.contacts.where('lastTouchedAt').between(reEngageAt - RE_ENGAGE_SLICE_DAYS * DAY_MS, reEngageAt, true, true).toArray(),
    ]);
    const stored = allKeys.filter((k) => refOf(k));
    const deals = new Map<string, Deal>();
    for (const d of dealRows) if (!d.deletedAt) deals.set(d.id, d);

    const emails = recent.filter((a) => a.kind === 'email').map(emailFact);
    // A live no-reply nudge older than the window still needs its contact's emails since then.
    const inWindow = new Set(emails.filter((e) => e.direction === 'outbound').flatMap((e) => e.contactIds));
    const seen = new Set(emails.map((e) => e.id));
    // Complete passes also re-read the email of people whose no-reply nudge is older than the
    // window. The periodic pass does not: a nudge clears by a reply, a reply arrives by a
    // capture, and a capture runs its own pass for those people. All reads issued at once:
    // IndexedDB pipelines requests within a transaction.
    const older = opts.complete ? noReplyRefs(stored).filter((r) => !inWindow.has(r.contactId)) : [];
    const anchors = await db.activities.bulkGet(older.map((r) => r.activityId));
    const lists = await Promise.all(older.map((r, i) => emailsOfContactSince(r.contactId, anchors[i]?.occurredAt ?? windowStart)));
    for (const a of lists.flat()) {
      if (!seen.has(a.id)) emails.push(emailFact(a));
      seen.add(a.id);
    }

    const contacts = new Map<string, Contact>();
    if (opts.complete) {
      for (const c of await db.contacts.toArray()) if (!c.deletedAt) contacts.set(c.id, c);
    } else {
      // Clearing a re-engage nudge takes a write (a touch, an edit), and writes run their own
      // passes: the periodic one only looks for silences that just crossed the line. The
      // no-reply rule needs only the people who were written to (a reply counts from them).
      const wanted = new Set<string>();
      for (const e of emails) if (e.direction === 'outbound') for (const id of e.contactIds) wanted.add(id);
      const found = new Map<string, Contact>();
      for (const c of sliceRows) found.set(c.id, c);
      // Whoever was written to in the window was touched in it: one ranged read of the
      // lastTouchedAt index costs a fraction of thousands of single gets. Anyone it misses
      // (a touch time not recorded, e.g. by a remote write) is still fetched by id.
      if (wanted.size) for (const c of await db.contacts.where('lastTouchedAt').aboveOrEqual(windowStart).toArray()) if (wanted.has(c.id)) found.set(c.id, c);
      const missing = [...wanted].filter((id) => !found.has(id));
      for (const c of missing.length ? await db.contacts.bulkGet(missing) : []) if (c) found.set(c.id, c);
      for (const c of found.values()) if (!c.deletedAt) contacts.set(c.id, c);
    }

    // Stale deals: the window knows the recently active ones. In a periodic pass a deal already
    // nudged as stale keeps the last activity its nudge recorded (newer activity would be in the
    // window, or came from a capture, whose own pass probes exactly); the rest are probed.
    const dealLastActivityAt = new Map<string, number>();
    noteDealActivity(recent, dealLastActivityAt);
    if (!opts.complete) for (const [id, at] of staleAnchors(stored)) if (deals.has(id) && !dealLastActivityAt.has(id)) dealLastActivityAt.set(id, at);
    await fillDealLastActivity([...deals.keys()], dealLastActivityAt);

    return {
      snapshot: {
        contacts,
        // Every loaded contact can be judged for re-engage: the rule reads only the record.
        contactScope: opts.complete ? 'all' : new Set(contacts.keys()),
        noReplyScope: opts.complete ? 'all' : inWindow,
        deals,
        dealScope: 'all',
        stages: stagesOf(pipelines),
        emails,
        dealLastActivityAt,
        nextStepTasks: nextStepTasksOf(allKeys),
      },
      stored,
    };
  });
}

/**
 * Only what one capture touched: its contacts, their deals, their recent email, and the
 * nudges about them. Small by construction, so it runs right after every log.
 */
export async function loadForContacts(contactIds: string[], now: number): Promise<Loaded> {
  const windowStart = now - NO_REPLY_LOOKBACK_DAYS * DAY_MS;
  const ids = [...new Set(contactIds)];
  return db.transaction('r', [db.contacts, db.deals, db.pipelines, db.activities, db.timeline, db.tasks], async () => {
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

    const contacts = new Map<string, Contact>();
    for (const c of contactRows) if (c && !c.deletedAt) contacts.set(c.id, c);
    const deals = new Map<string, Deal>();
    for (const d of dealRows) if (d.status === 'open' && !d.deletedAt) deals.set(d.id, d);

    // From the window start, or from the oldest outbound a live nudge still waits on.
    const since = new Map<string, number>(ids.map((id) => [id, windowStart]));
    for (const r of noReplyRefs(stored)) {
      const anchor = await db.activities.get(r.activityId);
      if (anchor) since.set(r.contactId, Math.min(since.get(r.contactId) ?? windowStart, anchor.occurredAt));
    }
    const seen = new Set<string>();
    const emails: EmailFact[] = [];
    for (const [id, from] of since) {
      for (const a of await emailsOfContactSince(id, from)) {
        if (seen.has(a.id)) continue;
        seen.add(a.id);
        emails.push(emailFact(a));
      }
    }
    const dealLastActivityAt = new Map<string, number>();
    await fillDealLastActivity([...deals.keys()], dealLastActivityAt);

    const scope = new Set(ids);
    return {
      snapshot: { contacts, contactScope: scope, noReplyScope: scope, deals, dealScope: new Set(dealIds), stages: stagesOf(pipelines), emails, dealLastActivityAt, nextStepTasks: nextStepTasksOf(relatedKeys) },
      stored,
    };
  });
}
