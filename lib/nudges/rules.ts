import type { Contact, Deal, Settings } from '@/lib/model';
import { DAY_MS, HOUR_MS, addBusinessDays } from '@/lib/reminders/calendar';
import { inScope, stageKey, type DesiredNudge, type EmailFact, type NudgeSnapshot } from './types';

/**
 * The five nudge rules: pure functions of a snapshot, the settings and the clock. Each
 * returns the nudges that should exist; `reconcile.ts` turns that into writes.
 *
 * Rule keys carry the instance, so a dismissed nudge stays dismissed while its cause is the
 * same, and a new cause (a newer email, new activity, a new due date) is a new nudge.
 */

export const DEFAULT_STALE_AFTER_DAYS = 14;
/** A deal gets a day in a stage to receive its next step before we ask for one. */
export const MISSING_NEXT_STEP_GRACE_MS = 24 * HOUR_MS;

export interface RuleContext {
  settings: Settings;
  now: number;
  /** Resolved IANA zone for business days. */
  tz: string;
}

const nameOf = (c: Contact | undefined): string => c?.name || c?.emails[0] || 'a contact';
const clip = (s: string): string => (s.length > 480 ? `${s.slice(0, 479)}…` : s);

/** 1. No reply: the latest outbound email to a contact, unanswered by them for N business days. */
export function noReplyNudges(snap: NudgeSnapshot, { settings, now, tz }: RuleContext): DesiredNudge[] {
  const r = settings.reminders;
  const latestOut = new Map<string, EmailFact>();
  const lastInbound = new Map<string, number>();
  const senderOf = new Map<string, string>();
  for (const c of snap.contacts.values()) for (const e of c.emails) senderOf.set(e, c.id);

  for (const e of snap.emails) {
    if (e.occurredAt > now) continue;
    if (e.direction === 'outbound') {
      for (const id of e.contactIds) {
        if (!inScope(snap.noReplyScope, id)) continue;
        const prev = latestOut.get(id);
        if (!prev || e.occurredAt > prev.occurredAt || (e.occurredAt === prev.occurredAt && e.id > prev.id)) latestOut.set(id, e);
      }
    } else if (e.direction === 'inbound' && e.from) {
      // A reply counts only from that contact: a colleague of theirs on CC is not an answer.
      const id = senderOf.get(e.from);
      if (id && e.contactIds.includes(id)) lastInbound.set(id, Math.max(lastInbound.get(id) ?? 0, e.occurredAt));
    }
  }

  const out: DesiredNudge[] = [];
  for (const [contactId, o] of latestOut) {
    const contact = snap.contacts.get(contactId);
    if (!contact || contact.deletedAt) continue;
    if ((lastInbound.get(contactId) ?? -1) > o.occurredAt) continue;
    const dueAt = addBusinessDays(o.occurredAt, r.noReplyBusinessDays, r.workingDays, tz);
    if (now < dueAt) continue;
    out.push({
      ruleKey: `no_reply:${contactId}:${o.id}`,
      kind: 'no_reply',
      title: clip(`Follow up with ${nameOf(contact)}: no reply${o.subject ? ` to “${o.subject}”` : ''}`),
      dueAt,
      contactId,
      dealId: o.dealId,
      sourceUrl: o.sourceUrl,
    });
  }
  return out;
}

function lastStageEntry(d: Deal): number {
  let t = d.createdAt;
  for (const v of d.stageHistory) if (v.stageId === d.stageId && v.enteredAt > t) t = v.enteredAt;
  return t;
}

function openDealsInScope(snap: NudgeSnapshot): Deal[] {
  const out: Deal[] = [];
  for (const d of snap.deals.values()) if (d.status === 'open' && !d.deletedAt && inScope(snap.dealScope, d.id)) out.push(d);
  return out;
}

/** 2. Stale deal: no activity for longer than its stage allows. */
export function staleDealNudges(snap: NudgeSnapshot, { now }: RuleContext): DesiredNudge[] {
  const out: DesiredNudge[] = [];
  for (const d of openDealsInScope(snap)) {
    const days = snap.stages.get(stageKey(d.pipelineId, d.stageId))?.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS;
    const last = Math.max(lastStageEntry(d), snap.dealLastActivityAt.get(d.id) ?? 0);
    const dueAt = last + days * DAY_MS;
    if (now <= dueAt) continue;
    out.push({
      ruleKey: `stale_deal:${d.id}:${last}`,
      kind: 'stale_deal',
      title: clip(`${d.name} has gone quiet: no activity for ${Math.floor((now - last) / DAY_MS)} days`),
      dueAt,
      dealId: d.id,
      contactId: d.contactIds[0],
    });
  }
  return out;
}

/** 3. Overdue next step: the deal's promised next step is past its date. */
export function overdueNextStepNudges(snap: NudgeSnapshot, { now }: RuleContext): DesiredNudge[] {
  const out: DesiredNudge[] = [];
  for (const d of openDealsInScope(snap)) {
    if (!d.nextStep || d.nextStep.dueAt >= now) continue;
    if (snap.nextStepTasks?.has(d.id)) continue;
    out.push({
      ruleKey: `overdue_next_step:${d.id}:${d.nextStep.dueAt}`,
      kind: 'next_step',
      title: clip(`Overdue on ${d.name}: ${d.nextStep.text}`),
      dueAt: d.nextStep.dueAt,
      dealId: d.id,
      contactId: d.contactIds[0],
    });
  }
  return out;
}

/** 4. Re-engage: a customer nobody has been in touch with for `reEngageDays`. */
export function reEngageNudges(snap: NudgeSnapshot, { settings, now }: RuleContext): DesiredNudge[] {
  const days = settings.reminders.reEngageDays;
  const out: DesiredNudge[] = [];
  for (const c of snap.contacts.values()) {
    if (c.deletedAt || c.lifecycleStage !== 'customer' || !inScope(snap.contactScope, c.id)) continue;
    const last = c.lastTouchedAt ?? c.createdAt;
    const dueAt = last + days * DAY_MS;
    if (now < dueAt) continue;
    out.push({
      ruleKey: `re_engage:${c.id}:${last}`,
      kind: 're_engage',
      title: clip(`Re-engage ${nameOf(c)}: no contact for ${Math.floor((now - last) / DAY_MS)} days`),
      dueAt,
      contactId: c.id,
    });
  }
  return out;
}

/** 5. Missing next step: an open deal with nothing planned, a day after it entered its stage. */
export function missingNextStepNudges(snap: NudgeSnapshot, { now }: RuleContext): DesiredNudge[] {
  const out: DesiredNudge[] = [];
  for (const d of openDealsInScope(snap)) {
    if (d.nextStep) continue;
    const entered = lastStageEntry(d);
    const dueAt = entered + MISSING_NEXT_STEP_GRACE_MS;
    if (now < dueAt) continue;
    out.push({
      ruleKey: `missing_next_step:${d.id}:${entered}`,
      kind: 'missing_next_step',
      title: clip(`Plan the next step on ${d.name}`),
      dueAt,
      dealId: d.id,
      contactId: d.contactIds[0],
    });
  }
  return out;
}

/** Rule key prefix → the settings switch that turns it on. */
export const RULES = {
  no_reply: { enabled: 'noReply', run: noReplyNudges },
  stale_deal: { enabled: 'staleDeal', run: staleDealNudges },
  overdue_next_step: { enabled: 'overdueNextStep', run: overdueNextStepNudges },
  re_engage: { enabled: 'reEngage', run: reEngageNudges },
  missing_next_step: { enabled: 'missingNextStep', run: missingNextStepNudges },
} as const satisfies Record<string, { enabled: keyof Settings['reminders']['enabled']; run: (s: NudgeSnapshot, c: RuleContext) => DesiredNudge[] }>;

export type RuleId = keyof typeof RULES;

export function ruleOf(ruleKey: string): RuleId | undefined {
  const id = ruleKey.slice(0, ruleKey.indexOf(':'));
  return Object.hasOwn(RULES, id) ? (id as RuleId) : undefined;
}

/** Every nudge that should exist, for the subjects the snapshot covers. */
export function evaluateNudges(snap: NudgeSnapshot, ctx: RuleContext): DesiredNudge[] {
  const out: DesiredNudge[] = [];
  for (const rule of Object.values(RULES)) {
    if (ctx.settings.reminders.enabled[rule.enabled]) out.push(...rule.run(snap, ctx));
  }
  return out;
}
