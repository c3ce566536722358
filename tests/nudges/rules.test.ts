import { describe, expect, it } from 'vitest';
import { evaluateNudges, missingNextStepNudges, noReplyNudges, overdueNextStepNudges, reEngageNudges, staleDealNudges, type RuleContext } from '@/lib/nudges/rules';
import { DAY, contact, deal, inbound, iso, outbound, settings, snapshot } from './fixtures';

const ctx = (now: number, patch: Parameters<typeof settings>[0] = {}, tz = 'UTC'): RuleContext => ({ settings: settings(patch), now, tz });

describe('no reply', () => {
  const ana = contact('ana');
  const fri = iso('2026-11-20T16:00:00Z'); // Friday

  it('nudges after N business days without a reply from that contact, keyed by the email', () => {
    const snap = snapshot({ contactList: [ana], emails: [outbound('m1', 'ana', fri)] });
    // Friday + 3 business days = Wednesday 16:00: not before.
    expect(noReplyNudges(snap, ctx(iso('2026-11-25T15:59:00Z')))).toEqual([]);
    const [n] = noReplyNudges(snap, ctx(iso('2026-11-25T16:00:00Z')));
    expect(n).toMatchObject({ ruleKey: 'no_reply:ana:m1', kind: 'no_reply', contactId: 'ana', dueAt: iso('2026-11-25T16:00:00Z'), sourceUrl: 'https://mail.google.com/mail/u/0/#inbox/m1' });
    expect(n!.title).toBe('Follow up with ANA: no reply to “Re: m1”');
  });

  it('a reply from the contact clears it; a reply from someone else on the thread does not', () => {
    const now = iso('2026-11-30T12:00:00Z');
    const bob = contact('bob');
    const replied = snapshot({ contactList: [ana, bob], emails: [outbound('m1', 'ana', fri), inbound('r1', 'ana', fri + DAY)] });
    expect(noReplyNudges(replied, ctx(now))).toEqual([]);
    const ccOnly = snapshot({ contactList: [ana, bob], emails: [outbound('m1', 'ana', fri), inbound('r1', 'bob', fri + DAY, { contactIds: ['ana', 'bob'] })] });
    expect(noReplyNudges(ccOnly, ctx(now)).map((n) => n.ruleKey)).toEqual(['no_reply:ana:m1']);
  });

  it('only the latest outbound counts: a newer unanswered email is a new instance', () => {
    const now = iso('2026-12-10T12:00:00Z');
    const snap = snapshot({ contactList: [ana], emails: [outbound('m1', 'ana', fri), inbound('r1', 'ana', fri + DAY), outbound('m2', 'ana', iso('2026-12-01T09:00:00Z'))] });
    expect(noReplyNudges(snap, ctx(now)).map((n) => n.ruleKey)).toEqual(['no_reply:ana:m2']);
  });

  it('a reply older than the email does not count', () => {
    const snap = snapshot({ contactList: [ana], emails: [inbound('r0', 'ana', fri - DAY), outbound('m1', 'ana', fri)] });
    expect(noReplyNudges(snap, ctx(iso('2026-11-30T12:00:00Z')))).toHaveLength(1);
  });

  it('counts business days in the rep\'s zone, far from UTC', () => {
    // Friday 20:00 UTC is already Saturday 10:00 on Kiritimati (UTC+14). In UTC the three
    // business days are Mon, Tue, Wed (due Wed 20:00 UTC); there, counted from Saturday, they
    // end on local Wednesday 10:00, which is Tuesday 20:00 UTC: a day earlier.
    const friEve = iso('2026-11-20T20:00:00Z');
    const snap = snapshot({ contactList: [ana], emails: [outbound('m2', 'ana', friEve)] });
    const now = iso('2026-12-30T00:00:00Z');
    expect(noReplyNudges(snap, ctx(now, {}, 'UTC'))[0]!.dueAt).toBe(iso('2026-11-25T20:00:00Z'));
    expect(noReplyNudges(snap, ctx(now, {}, 'Pacific/Kiritimati'))[0]!.dueAt).toBe(iso('2026-11-24T20:00:00Z'));
    // West of UTC the send stays a Friday (10:00 in Honolulu, UTC-10): Wednesday 10:00 there.
    expect(noReplyNudges(snap, ctx(now, {}, 'Pacific/Honolulu'))[0]!.dueAt).toBe(iso('2026-11-25T20:00:00Z'));
  });

  it('keeps wall time across the DST change and respects a custom N and working week', () => {
    const sent = iso('2026-10-23T14:00:00Z'); // Friday 16:00 Berlin (CEST)
    const snap = snapshot({ contactList: [ana], emails: [outbound('m1', 'ana', sent)] });
    const n = noReplyNudges(snap, ctx(iso('2026-11-30T00:00:00Z'), { noReplyBusinessDays: 2 }, 'Europe/Berlin'))[0]!;
    expect(n.dueAt).toBe(iso('2026-10-27T15:00:00Z')); // Tuesday 16:00 CET
    const sunThu = noReplyNudges(snap, ctx(iso('2026-11-30T00:00:00Z'), { noReplyBusinessDays: 2, workingDays: [0, 1, 2, 3, 4] }, 'Europe/Berlin'))[0]!;
    expect(sunThu.dueAt).toBe(iso('2026-10-26T15:00:00Z')); // Sun, Mon → Monday 16:00 CET
  });

  it('ignores contacts outside the snapshot\'s no-reply scope, and deleted contacts', () => {
    const now = iso('2026-11-30T12:00:00Z');
    const snap = snapshot({ contactList: [ana, contact('bob', { deletedAt: 1 })], emails: [outbound('m1', 'ana', fri), outbound('m2', 'bob', fri)], noReplyScope: new Set(['bob']) });
    expect(noReplyNudges(snap, ctx(now))).toEqual([]);
  });
});

describe('stale deal', () => {
  it('uses the stage\'s limit from the last activity, keyed by it', () => {
    const d = deal('d1', { stageId: 'negotiate', createdAt: iso('2026-10-01T00:00:00Z') });
    const last = iso('2026-11-10T00:00:00Z');
    const snap = snapshot({ dealList: [d], dealLastActivityAt: new Map([['d1', last]]) });
    expect(staleDealNudges(snap, ctx(last + 7 * DAY))).toEqual([]);
    const [n] = staleDealNudges(snap, ctx(last + 8 * DAY));
    expect(n).toMatchObject({ ruleKey: `stale_deal:d1:${last}`, dealId: 'd1', dueAt: last + 7 * DAY });
    expect(n!.title).toBe('Deal d1 has gone quiet: no activity for 8 days');
  });

  it('defaults to 14 days and counts a fresh stage entry as activity', () => {
    const created = iso('2026-10-01T00:00:00Z');
    const moved = iso('2026-11-01T00:00:00Z');
    const d = deal('d1', { stageId: 'unknown', createdAt: created, stageHistory: [{ stageId: 'qualify', enteredAt: created, leftAt: moved }, { stageId: 'unknown', enteredAt: moved }] });
    expect(staleDealNudges(snapshot({ dealList: [d] }), ctx(moved + 14 * DAY))).toEqual([]);
    expect(staleDealNudges(snapshot({ dealList: [d] }), ctx(moved + 15 * DAY))[0]?.ruleKey).toBe(`stale_deal:d1:${moved}`);
  });

  it('never for closed deals', () => {
    const d = deal('d1', { status: 'won', createdAt: iso('2026-01-01T00:00:00Z') });
    expect(staleDealNudges(snapshot({ dealList: [d] }), ctx(iso('2026-11-30T00:00:00Z')))).toEqual([]);
  });
});

describe('overdue next step', () => {
  it('fires once the next step\'s date passed, keyed by that date', () => {
    const due = iso('2026-11-25T09:00:00Z');
    const d = deal('d1', { nextStep: { text: 'Send proposal', dueAt: due } });
    expect(overdueNextStepNudges(snapshot({ dealList: [d] }), ctx(due - 1))).toEqual([]);
    expect(overdueNextStepNudges(snapshot({ dealList: [d] }), ctx(due + 1))[0]).toMatchObject({ ruleKey: `overdue_next_step:d1:${due}`, kind: 'next_step', title: 'Overdue on Deal d1: Send proposal', dueAt: due });
  });
});

describe('overdue next step, when the next step has its own task', () => {
  it('stays quiet: that task already reminds at the due time', () => {
    const due = iso('2026-11-25T09:00:00Z');
    const d = deal('d1', { nextStep: { text: 'Send proposal', dueAt: due } });
    expect(overdueNextStepNudges(snapshot({ dealList: [d], nextStepTasks: new Set(['d1']) }), ctx(due + 1))).toEqual([]);
    expect(overdueNextStepNudges(snapshot({ dealList: [d], nextStepTasks: new Set(['d2']) }), ctx(due + 1))).toHaveLength(1);
  });
});

describe('re-engage', () => {
  it('a customer silent for reEngageDays, from the last touch (or creation)', () => {
    const touched = iso('2026-08-01T00:00:00Z');
    const c = contact('cus', { lifecycleStage: 'customer', lastTouchedAt: touched });
    const lead = contact('lead', { lifecycleStage: 'lead', lastTouchedAt: touched });
    const never = contact('never', { lifecycleStage: 'customer', createdAt: touched });
    const snap = snapshot({ contactList: [c, lead, never] });
    expect(reEngageNudges(snap, ctx(touched + 89 * DAY))).toEqual([]);
    expect(reEngageNudges(snap, ctx(touched + 90 * DAY)).map((n) => n.ruleKey)).toEqual([`re_engage:cus:${touched}`, `re_engage:never:${touched}`]);
    expect(reEngageNudges(snap, ctx(touched + 40 * DAY, { reEngageDays: 30 }))).toHaveLength(2);
  });
});

describe('missing next step', () => {
  it('an open deal without a next step, a day after entering its stage', () => {
    const created = iso('2026-11-20T10:00:00Z');
    const d = deal('d1', { nextStep: undefined, createdAt: created });
    expect(missingNextStepNudges(snapshot({ dealList: [d] }), ctx(created + DAY - 1))).toEqual([]);
    expect(missingNextStepNudges(snapshot({ dealList: [d] }), ctx(created + DAY))[0]).toMatchObject({ ruleKey: `missing_next_step:d1:${created}`, kind: 'missing_next_step' });
  });
});

describe('evaluateNudges', () => {
  it('runs only the rules switched on in settings', () => {
    const created = iso('2026-01-01T00:00:00Z');
    const d = deal('d1', { nextStep: undefined, createdAt: created });
    const c = contact('cus', { lifecycleStage: 'customer', lastTouchedAt: created });
    const snap = snapshot({ dealList: [d], contactList: [c] });
    const now = iso('2026-11-30T00:00:00Z');
    const all = evaluateNudges(snap, ctx(now)).map((n) => n.ruleKey.split(':')[0]).sort();
    expect(all).toEqual(['missing_next_step', 're_engage', 'stale_deal']);
    const some = evaluateNudges(snap, ctx(now, { enabled: { noReply: true, staleDeal: false, overdueNextStep: true, reEngage: false, missingNextStep: true } }));
    expect(some.map((n) => n.ruleKey.split(':')[0])).toEqual(['missing_next_step']);
  });

  it('is deterministic: same snapshot and clock, same nudges', () => {
    const now = iso('2026-11-30T00:00:00Z');
    const snap = snapshot({ contactList: [contact('ana')], emails: [outbound('m1', 'ana', iso('2026-11-20T10:00:00Z'))], dealList: [deal('d1', { nextStep: undefined })] });
    expect(evaluateNudges(snap, ctx(now))).toEqual(evaluateNudges(snap, ctx(now)));
  });
});
