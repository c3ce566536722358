import { describe, expect, it } from 'vitest';
import { applyPrivacy, keyPrefix, planCapture } from '@/lib/capture/plan';
import { PageContext, Settings } from '@/lib/model';
import { event, HOUR, ME, p, T0, thread } from './fixtures';

const s = (patch: Partial<Settings> = {}) => Settings.parse(patch);

describe('applyPrivacy', () => {
  const text = { subject: ' Pricing  for Q1 ', snippet: 'Can we talk?', body: 'Full body' };
  it.each([
    ['metadata', { subject: undefined, snippet: undefined, body: undefined }],
    ['subject', { subject: 'Pricing for Q1', snippet: undefined, body: undefined }],
    ['snippet', { subject: 'Pricing for Q1', snippet: 'Can we talk?', body: undefined }],
    ['body', { subject: 'Pricing for Q1', snippet: 'Can we talk?', body: 'Full body' }],
  ] as const)('%s keeps exactly its fields', (level, want) => {
    expect(applyPrivacy(level, text)).toEqual(want);
  });

  it('defaults to snippet', () => {
    expect(Settings.parse({}).privacy).toBe('snippet');
  });
});

describe('planCapture on a thread', () => {
  const plan = planCapture(thread({}, 4), s(), T0);

  it('plans one activity per message that involves someone loggable', () => {
    expect(plan.activities.map((a) => a.activity.externalKey)).toEqual(['gmail:thread-abc:m1', 'gmail:thread-abc:m2', 'gmail:thread-abc:m3']);
    expect(plan.activities.every((a) => a.activity.kind === 'email')).toBe(true);
  });

  it('sets direction from the sender', () => {
    expect(plan.activities.map((a) => a.activity.direction)).toEqual(['inbound', 'outbound', 'inbound']);
  });

  it('dedupes people, keeps the real name, and skips self and the no-reply sender with reasons', () => {
    expect(plan.people).toEqual([
      { email: 'jane@acme.com', name: 'Jane Doe' },
      { email: 'bob@acme.com', name: 'Bob Stone' },
    ]);
    expect(plan.skipped).toEqual([
      { email: ME, reason: 'self' },
      { email: 'no-reply@acme.com', reason: 'no_reply' },
    ]);
  });

  it('links each activity only to loggable people on that message', () => {
    expect(plan.activities[2]!.contactEmails).toEqual(['bob@acme.com']);
    expect(plan.activities[0]!.contactEmails).toEqual(['jane@acme.com', 'bob@acme.com']);
  });

  it('uses each message date, and the page clock only when a date is missing', () => {
    expect(plan.activities[1]!.activity.occurredAt).toBe(T0 + HOUR);
    const undated = planCapture(thread({ messages: [{ id: 'x', from: p('jane@acme.com', 'from'), to: [] }] }), s(), 42);
    expect(undated.activities[0]!.activity.occurredAt).toBe(42);
  });

  it('treats a mail between colleagues as internal and logs nothing for it', () => {
    const ctx = thread({
      people: [p(ME, 'from', undefined, true), p('ann@northwind.io', 'to')],
      messages: [{ id: 'i1', from: p(ME, 'from', undefined, true), to: [p('ann@northwind.io', 'to')], date: T0 }],
    });
    const r = planCapture(ctx, s({ internalDomains: ['northwind.io'] }), T0);
    expect(r.activities).toEqual([]);
    expect(r.skipped.map((x) => x.reason)).toEqual(['self', 'internal']);
  });

  it('falls back to one thread activity when messages were not detected', () => {
    const r = planCapture(thread({ messages: [] }), s(), T0);
    expect(r.activities).toHaveLength(1);
    expect(r.activities[0]!.activity.externalKey).toBe('gmail:thread-abc:thread');
  });

  it('applies the privacy level to every activity', () => {
    const meta = planCapture(thread(), s({ privacy: 'metadata' }), T0);
    expect(meta.activities.every((a) => a.activity.subject === undefined && a.activity.snippet === undefined)).toBe(true);
    const body = planCapture(thread(), s({ privacy: 'body' }), T0);
    expect(body.activities[0]!.activity.body).toBe('Can we talk pricing? Full text.');
  });
});

describe('planCapture on other views', () => {
  it('turns an event into one meeting with attendees and times', () => {
    const r = planCapture(event(), s(), T0);
    expect(r.activities).toHaveLength(1);
    const a = r.activities[0]!.activity;
    expect(a).toMatchObject({ kind: 'meeting', occurredAt: T0 + 24 * HOUR, endAt: T0 + 25 * HOUR, externalKey: 'google-calendar:evt-1:event', subject: 'Acme onboarding call' });
    expect(a.participants?.map((x) => [x.email, x.role])).toEqual([
      [ME, 'organizer'],
      ['jane@acme.com', 'attendee'],
      ['carol@globex.com', 'attendee'],
    ]);
    expect(r.activities[0]!.contactEmails).toEqual(['jane@acme.com', 'carol@globex.com']);
  });

  it('plans contacts but no activity for a compose view: nothing was sent yet', () => {
    const ctx = PageContext.parse({ site: 'gmail', view: 'compose', key: 'draft1', url: 'https://mail.google.com/mail/u/0/#inbox?compose=new', people: [p('jane@acme.com', 'to')] });
    const r = planCapture(ctx, s(), T0);
    expect(r.people).toEqual([{ email: 'jane@acme.com', name: undefined }]);
    expect(r.activities).toEqual([]);
  });

  it('plans nothing for a list view', () => {
    const ctx = PageContext.parse({ site: 'gmail', view: 'list', key: 'inbox', url: 'https://mail.google.com/mail/u/0/#inbox', people: [p('jane@acme.com', 'from')] });
    expect(planCapture(ctx, s(), T0)).toEqual({ people: [], skipped: [], activities: [] });
  });

  it('keys every activity under the page prefix', () => {
    expect(keyPrefix({ site: 'outlook', key: 'AAQk1' })).toBe('outlook:AAQk1:');
  });
});
