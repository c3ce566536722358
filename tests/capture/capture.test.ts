import { describe, expect, it } from 'vitest';
import { capturePage, previewCapture, receiptFor } from '@/lib/capture';
import { db } from '@/lib/db';
import { createContact, createDeal, deleteContact, ensureCompany, ensureDefaults, saveSettings } from '@/lib/db/mutations';
import { contactByEmail, timelineOf } from '@/lib/db/queries';
import { DEFAULT_PIPELINE_ID } from '@/lib/domain/pipeline';
import { Receipt } from '@/lib/messaging/protocol';
import { event, HOUR, ME, p, T0, thread } from './fixtures';

const live = async () => (await db.activities.toArray()).filter((a) => !a.deletedAt);

describe('capturePage: contacts', () => {
  it('creates one contact per external person by exact email, and none for self or no-reply senders', async () => {
    const r = await capturePage(thread({}, 4), { now: T0 });
    expect(Receipt.parse(r)).toEqual(r);
    expect(r.contactsCreated).toBe(2);
    expect((await db.contacts.toArray()).map((c) => c.emails[0]).sort()).toEqual(['bob@acme.com', 'jane@acme.com']);
    expect(r.skipped).toEqual([
      { email: ME, reason: 'self' },
      { email: 'no-reply@acme.com', reason: 'no_reply' },
    ]);
    const jane = await contactByEmail('jane@acme.com');
    expect(jane).toMatchObject({ name: 'Jane Doe', lifecycleStage: 'lead', source: { origin: 'capture', site: 'gmail' } });
  });

  it('reuses an existing contact whatever the case of the address, and never duplicates it', async () => {
    const existing = await createContact({ emails: ['Jane@Acme.com'], name: 'Jane D.', source: { origin: 'manual' } });
    const r = await capturePage(thread(), { now: T0 });
    expect(r.contactsCreated).toBe(1);
    expect(r.contactIds).toContain(existing.id);
    expect(await db.contacts.count()).toBe(2);
    expect((await contactByEmail('jane@acme.com'))!.name).toBe('Jane D.');
  });

  it('fills a missing name from the page, but never overwrites one', async () => {
    await createContact({ emails: ['bob@acme.com'], source: { origin: 'manual' } });
    await capturePage(thread(), { now: T0 });
    expect((await contactByEmail('bob@acme.com'))!.name).toBe('Bob Stone');
  });

  it('skips internal domains, the never-log list and configured own addresses', async () => {
    await saveSettings({ internalDomains: ['acme.com'], neverLogEmails: ['carol@globex.com'], selfEmails: [] });
    const r = await capturePage(event(), { now: T0 });
    expect(r.contactsCreated).toBe(0);
    expect(r.added).toBe(0);
    expect(r.skipped.map((s) => s.reason).sort()).toEqual(['internal', 'never_log', 'self']);
    expect(await db.contacts.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('does not bring a deleted contact back, and says so', async () => {
    const c = await createContact({ emails: ['bob@acme.com'], source: { origin: 'manual' } });
    await deleteContact(c.id);
    const r = await capturePage(thread(), { now: T0 });
    expect(r.skipped).toContainEqual({ email: 'bob@acme.com', reason: 'deleted' });
    const m3 = await db.activities.where('externalKey').equals('gmail:thread-abc:m3').first();
    expect(m3).toBeUndefined(); // only Bob was on m3
    expect((await live()).every((a) => !a.contactIds.includes(c.id))).toBe(true);
  });
});

describe('capturePage: companies and duplicates are suggested, never merged', () => {
  it('joins the company with exactly the contact’s domain, creating it once', async () => {
    const acme = await ensureCompany('acme.com', 'Acme');
    await capturePage(thread(), { now: T0 });
    const jane = await contactByEmail('jane@acme.com');
    const bob = await contactByEmail('bob@acme.com');
    expect(jane!.companyId).toBe(acme.id);
    expect(bob!.companyId).toBe(acme.id);
    expect(await db.companies.count()).toBe(1);
  });

  it('creates a company per new business domain, none for free mailboxes', async () => {
    await capturePage(event({ people: [p('carol@globex.com', 'attendee'), p('dan@gmail.com', 'attendee')] }), { now: T0 });
    expect((await db.companies.toArray()).map((c) => c.domain)).toEqual(['globex.com']);
    expect((await contactByEmail('dan@gmail.com'))!.companyId).toBeUndefined();
  });

  it('suggests a company at a parent domain instead of linking or creating one', async () => {
    const acme = await ensureCompany('acme.com', 'Acme');
    const ctx = event({ people: [p('eve@eu.acme.com', 'attendee', 'Eve Lund')] });
    const r = await capturePage(ctx, { now: T0 });
    const eve = await contactByEmail('eve@eu.acme.com');
    expect(eve!.companyId).toBeUndefined();
    expect(await db.companies.count()).toBe(1);
    expect(r.suggestions).toEqual([{ email: 'eve@eu.acme.com', contactId: eve!.id, company: { id: acme.id, domain: 'acme.com', name: 'Acme' }, duplicates: [] }]);
  });

  it('suggests a possible duplicate by name and keeps both contacts', async () => {
    const old = await createContact({ emails: ['jane.doe@gmail.com'], name: 'Doe, Jane', source: { origin: 'manual' } });
    const r = await capturePage(thread(), { now: T0 });
    const jane = await contactByEmail('jane@acme.com');
    expect(r.suggestions).toContainEqual({ email: 'jane@acme.com', contactId: jane!.id, company: undefined, duplicates: [{ contactId: old.id, name: 'Doe, Jane', email: 'jane.doe@gmail.com' }] });
    expect(await db.contacts.count()).toBe(3);
    expect(r.suggestions.find((s) => s.email === 'bob@acme.com')).toBeUndefined();
  });
});

describe('capturePage: activities', () => {
  it('logs one email activity per message, linked to each contact’s timeline', async () => {
    const r = await capturePage(thread(), { now: T0 });
    expect(r).toMatchObject({ key: 'gmail:thread-abc:', added: 3, existing: 0, state: 'logged' });
    const jane = await contactByEmail('jane@acme.com');
    const bob = await contactByEmail('bob@acme.com');
    expect((await timelineOf(jane!.id)).items.map((a) => a.externalKey)).toEqual(['gmail:thread-abc:m2', 'gmail:thread-abc:m1']);
    expect((await timelineOf(bob!.id)).items).toHaveLength(3);
  });

  it('is idempotent: logging twice adds nothing and writes nothing', async () => {
    await capturePage(thread(), { now: T0 });
    const counts = [await db.activities.count(), await db.contacts.count(), await db.timeline.count(), await db.outbox.count()];
    const again = await capturePage(thread(), { now: T0 + HOUR });
    expect(again).toMatchObject({ added: 0, existing: 3, contactsCreated: 0 });
    expect([await db.activities.count(), await db.contacts.count(), await db.timeline.count(), await db.outbox.count()]).toEqual(counts);
  });

  it('after a new reply adds only the new message', async () => {
    await capturePage(thread({}, 2), { now: T0 });
    const r = await capturePage(thread({}, 3), { now: T0 + 3 * HOUR });
    expect(r).toMatchObject({ added: 1, existing: 2 });
    expect(await db.activities.count()).toBe(3);
  });

  it('logs a calendar event as one meeting with attendees and times', async () => {
    const r = await capturePage(event(), { now: T0 });
    expect(r.added).toBe(1);
    const [m] = await live();
    expect(m).toMatchObject({ kind: 'meeting', occurredAt: T0 + 24 * HOUR, endAt: T0 + 25 * HOUR, subject: 'Acme onboarding call', site: 'google-calendar' });
    expect(m!.participants.map((x) => x.email)).toEqual([ME, 'jane@acme.com', 'carol@globex.com']);
    expect(m!.contactIds).toHaveLength(2);
    expect((await capturePage(event(), { now: T0 })).added).toBe(0);
  });

  it('moves last-touched to the newest activity, never backwards', async () => {
    await capturePage(thread(), { now: T0 });
    expect((await contactByEmail('jane@acme.com'))!.lastTouchedAt).toBe(T0 + HOUR);
    expect((await contactByEmail('bob@acme.com'))!.lastTouchedAt).toBe(T0 + 2 * HOUR);
    // An older thread logged later does not pull the date back.
    await capturePage(thread({ key: 'older', messages: [{ id: 'o1', from: p('jane@acme.com', 'from'), to: [], date: T0 - 48 * HOUR }] }), { now: T0 });
    expect((await contactByEmail('jane@acme.com'))!.lastTouchedAt).toBe(T0 + HOUR);
  });

  it.each([
    ['metadata', { subject: undefined, snippet: undefined, body: undefined }],
    ['subject', { subject: 'Pricing for Q1', snippet: undefined, body: undefined }],
    ['snippet', { subject: 'Pricing for Q1', snippet: 'Can we talk pricing?', body: undefined }],
    ['body', { subject: 'Pricing for Q1', snippet: 'Can we talk pricing?', body: 'Can we talk pricing? Full text.' }],
  ] as const)('stores only what the %s privacy level allows', async (privacy, want) => {
    await saveSettings({ privacy });
    await capturePage(thread({}, 1), { now: T0 });
    const [a] = await live();
    expect({ subject: a!.subject, snippet: a!.snippet, body: a!.body }).toEqual(want);
  });
});

describe('capturePage: deals', () => {
  const deal = (name: string, contactIds: string[]) => createDeal({ name, pipelineId: DEFAULT_PIPELINE_ID, stageId: 'lead', contactIds });

  it('attaches activities to the contact’s single open deal', async () => {
    await ensureDefaults();
    const jane = await createContact({ emails: ['jane@acme.com'], source: { origin: 'manual' } });
    const d = await deal('Acme pilot', [jane.id]);
    const r = await capturePage(thread({}, 2), { now: T0 });
    expect(r.needsDeal).toEqual([]);
    expect((await live()).map((a) => a.dealId)).toEqual([d.id, d.id]);
  });

  it('lists activities in needsDeal when the contacts have several open deals, and attaches none', async () => {
    await ensureDefaults();
    const jane = await createContact({ emails: ['jane@acme.com'], source: { origin: 'manual' } });
    await deal('Acme pilot', [jane.id]);
    await deal('Acme renewal', [jane.id]);
    const r = await capturePage(thread({}, 2), { now: T0 });
    const acts = await live();
    expect(acts.every((a) => a.dealId === undefined)).toBe(true);
    expect(r.needsDeal.sort()).toEqual(acts.map((a) => a.id).sort());
  });

  it('ignores closed deals', async () => {
    await ensureDefaults();
    const jane = await createContact({ emails: ['jane@acme.com'], source: { origin: 'manual' } });
    const open = await deal('Acme pilot', [jane.id]);
    await createDeal({ name: 'Old', pipelineId: DEFAULT_PIPELINE_ID, stageId: 'lost', contactIds: [jane.id] });
    await capturePage(thread({}, 1), { now: T0 });
    expect((await live())[0]!.dealId).toBe(open.id);
  });
});

describe('capturePage: one transaction', () => {
  it('writes nothing at all when any part fails', async () => {
    const hook = () => {
      throw new Error('disk full');
    };
    db.timeline.hook('creating', hook);
    try {
      await expect(capturePage(thread(), { now: T0 })).rejects.toThrow();
    } finally {
      db.timeline.hook('creating').unsubscribe(hook);
    }
    expect([await db.contacts.count(), await db.companies.count(), await db.activities.count(), await db.timeline.count(), await db.outbox.count()]).toEqual([0, 0, 0, 0, 0]);
    // And the same page logs cleanly afterwards.
    expect((await capturePage(thread(), { now: T0 })).added).toBe(3);
  });

  it('appends an outbox row for every local write, none for remote-origin writes', async () => {
    await capturePage(thread(), { now: T0 });
    const kinds = (await db.outbox.toArray()).map((o) => o.entity);
    expect(kinds.filter((k) => k === 'activity')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'contact').length).toBeGreaterThanOrEqual(2);
    expect(kinds).toContain('company');
    await db.outbox.clear();
    await capturePage(thread({ key: 'other' }), { now: T0, origin: 'remote' });
    expect(await db.outbox.count()).toBe(0);
  });

  it('serializes two concurrent logs of the same page: no duplicate activity, no conflict', async () => {
    const [a, b] = await Promise.all([capturePage(thread(), { now: T0 }), capturePage(thread(), { now: T0 })]);
    expect(a.added + b.added).toBe(3);
    expect(await db.activities.count()).toBe(3);
    expect(await db.contacts.count()).toBe(2);
  });
});

describe('receipts and preview', () => {
  it('says queued while a connected CRM lacks remote ids, synced once all have them', async () => {
    const r = await capturePage(thread(), { now: T0, provider: 'hubspot' });
    expect(r.state).toBe('queued');
    expect((await receiptFor(r.key, 'hubspot'))!.state).toBe('queued');
    await db.activities.toCollection().modify((a) => {
      a.remoteIds = { hubspot: `h-${a.id}` };
    });
    expect((await receiptFor(r.key, 'hubspot'))!.state).toBe('synced');
    expect((await capturePage(thread(), { now: T0, provider: 'hubspot' })).state).toBe('synced');
  });

  it('rebuilds the receipt of a logged page from the store', async () => {
    expect(await receiptFor('gmail:thread-abc:')).toBeNull();
    await capturePage(thread(), { now: T0 });
    expect(await receiptFor('gmail:thread-abc:')).toMatchObject({ existing: 3, added: 0, state: 'logged' });
    // Another thread whose key merely starts the same way does not count.
    expect(await receiptFor('gmail:thread-ab:')).toBeNull();
  });

  it('previews exactly what a log then stores, and writes nothing', async () => {
    await saveSettings({ privacy: 'subject' });
    const preview = await previewCapture(thread(), T0);
    expect(await db.activities.count()).toBe(0);
    expect(await db.contacts.count()).toBe(0);
    expect(preview.acknowledged).toBe(false);
    expect(preview.contactsToCreate).toEqual(['jane@acme.com', 'bob@acme.com']);
    await capturePage(thread(), { now: T0 });
    const stored = (await live()).sort((a, b) => a.occurredAt - b.occurredAt);
    expect(preview.activities).toEqual(
      stored.map((a) => ({ kind: a.kind, occurredAt: a.occurredAt, subject: a.subject, snippet: a.snippet, body: a.body, participants: a.participants.map((x) => x.email) })),
    );
  });

  it('previews only what is new on a page already logged', async () => {
    await capturePage(thread({}, 2), { now: T0 });
    await saveSettings({ previewAcknowledged: true });
    const preview = await previewCapture(thread({}, 3), T0);
    expect(preview.activities).toHaveLength(1);
    expect(preview.contactsToCreate).toEqual([]);
    expect(preview.acknowledged).toBe(true);
  });
});
