import Dexie from 'dexie';
import { db } from '@/lib/db';
import type { Activity, Contact, Deal, Pipeline, Task } from '@/lib/model';
import { DAY_MS } from '@/lib/reminders/calendar';
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
  /** Stored nudge tasks the plan may touch, tombstones included. */
  existing: Task[];
}

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
  const lasts = await Promise.all(
    missing.map((id) =>
      db.activities
        .where('[dealId+occurredAt]')
        .between([id, Dexie.minKey], [id, Dexie.maxKey])
        .reverse()
        .filter((a) => !a.deletedAt)
        .first(),
    ),
  );
  lasts.forEach((a, i) => {
    if (a) known.set(missing[i]!, a.occurredAt);
  });
}

function noteDealActivity(acts: Activity[], into: Map<string, number>): void {
  for (const a of acts) if (a.dealId && a.occurredAt > (into.get(a.dealId) ?? -1)) into.set(a.dealId, a.occurredAt);
}

/** Next steps that already carry their own (non-nudge) task, whatever its status. */
function nextStepTasksOf(tasks: Task[]): Set<string> {
  const out = new Set<string>();
  for (const t of tasks) if (t.kind === 'next_step' && t.dealId && !t.deletedAt && !ruleOf(t.ruleKey ?? '')) out.add(`${t.dealId}:${t.dueAt}`);
  return out;
}

/** The outbound email a live no-reply nudge is about: its id is the key's last part. */
function noReplyAnchor(t: Task): string | undefined {
  return t.ruleKey?.split(':')[2];
}

/** Everything, for the periodic pass. */
export async function loadFull(now: number): Promise<Loaded> {
  const windowStart = now - NO_REPLY_LOOKBACK_DAYS * DAY_MS;
  return db.transaction('r', [db.contacts, db.deals, db.pipelines, db.activities, db.timeline, db.tasks], async () => {
    const [pipelines, dealRows, contactRows, recent, existing] = await Promise.all([
      db.pipelines.toArray(),
      db.deals.where('[status+stageId]').between(['open', Dexie.minKey], ['open', Dexie.maxKey]).toArray(),
      db.contacts.toArray(),
      activitiesSince(windowStart),
      db.tasks.where('ruleKey').aboveOrEqual('').toArray(),
    ]);
    const deals = new Map<string, Deal>();
    for (const d of dealRows) if (!d.deletedAt) deals.set(d.id, d);
    const contacts = new Map<string, Contact>();
    for (const c of contactRows) if (!c.deletedAt) contacts.set(c.id, c);

    const emails = recent.filter((a) => a.kind === 'email').map(emailFact);
    // A live no-reply nudge older than the window still needs its contact's emails since then.
    const inWindow = new Set(emails.filter((e) => e.direction === 'outbound').flatMap((e) => e.contactIds));
    const seen = new Set(emails.map((e) => e.id));
    for (const t of existing) {
      if (t.deletedAt || t.status === 'done' || ruleOf(t.ruleKey ?? '') !== 'no_reply' || !t.contactId || inWindow.has(t.contactId)) continue;
      const anchor = await db.activities.get(noReplyAnchor(t) ?? '');
      for (const a of await emailsOfContactSince(t.contactId, anchor?.occurredAt ?? windowStart)) {
        if (!seen.has(a.id)) emails.push(emailFact(a));
        seen.add(a.id);
      }
    }

    const dealLastActivityAt = new Map<string, number>();
    noteDealActivity(recent, dealLastActivityAt);
    await fillDealLastActivity([...deals.keys()], dealLastActivityAt);

    return {
      snapshot: { contacts, contactScope: 'all', noReplyScope: 'all', deals, dealScope: 'all', stages: stagesOf(pipelines), emails, dealLastActivityAt, nextStepTasks: nextStepTasksOf(existing) },
      existing: existing.filter((t) => ruleOf(t.ruleKey ?? '')),
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
    const related = [...new Map([...byContact, ...byDeal].map((t) => [t.id, t])).values()];
    const existing = related.filter((t) => ruleOf(t.ruleKey ?? ''));

    const contacts = new Map<string, Contact>();
    for (const c of contactRows) if (c && !c.deletedAt) contacts.set(c.id, c);
    const deals = new Map<string, Deal>();
    for (const d of dealRows) if (d.status === 'open' && !d.deletedAt) deals.set(d.id, d);

    // From the window start, or from the oldest outbound a live nudge still waits on.
    const since = new Map<string, number>(ids.map((id) => [id, windowStart]));
    for (const t of existing) {
      if (t.deletedAt || ruleOf(t.ruleKey ?? '') !== 'no_reply' || !t.contactId) continue;
      const anchor = await db.activities.get(noReplyAnchor(t) ?? '');
      if (anchor) since.set(t.contactId, Math.min(since.get(t.contactId) ?? windowStart, anchor.occurredAt));
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
      snapshot: { contacts, contactScope: scope, noReplyScope: scope, deals, dealScope: new Set(dealIds), stages: stagesOf(pipelines), emails, dealLastActivityAt, nextStepTasks: nextStepTasksOf(related) },
      existing,
    };
  });
}
