import { beforeEach, describe, expect, it } from 'vitest';
import { capturePage } from '@/lib/capture';
import { db } from '@/lib/db';
import { addActivities, completeTask, createContact, createDeal, createTask, dismissTask, ensureDefaults, saveSettings, touchContacts, updateDeal } from '@/lib/db/mutations';
import type { PageContext, Task } from '@/lib/model';
import { runForCapture, runForContacts, runFullPass } from '@/lib/nudges';
import { NO_REPLY_LOOKBACK_DAYS } from '@/lib/nudges/load';
import { DAY, iso } from './fixtures';

const SENT = iso('2026-11-16T15:00:00Z'); // Monday
const NOW = iso('2026-11-23T10:00:00Z'); // next Monday: 3 business days passed

function thread(messages: PageContext['messages'], key = 'thread-1'): PageContext {
  return { site: 'gmail', view: 'thread', key, url: `https://mail.google.com/mail/u/0/#inbox/${key}`, subject: 'Pricing', people: [], messages };
}
const me = { email: 'me@us.com', role: 'from' as const, self: true };
const ana = { email: 'ana@acme.com', name: 'Ana Costa', role: 'to' as const };

/** Live nudges: the rules' own keys (the panel's `next-step:` tasks are not nudges). */
async function live(): Promise<Task[]> {
  return (await db.tasks.toArray()).filter((t) => t.ruleKey && !t.deletedAt && !t.ruleKey.startsWith('next-step:') && !t.ruleKey.startsWith('retired:'));
}

beforeEach(async () => {
  await ensureDefaults();
  await saveSettings({ selfEmails: ['me@us.com'], reminders: { ...(await db.settings.get('settings'))!.value.reminders, quietHours: null, timeZone: 'UTC' } });
});

describe('nudge passes over the store', () => {
  it('a logged outbound email with no reply becomes one no-reply task; passes are idempotent', async () => {
    await capturePage(thread([{ id: 'm1', from: me, to: [ana], date: SENT }]), { now: SENT });
    await runFullPass(iso('2026-11-19T14:59:00Z')); // Monday 15:00 + 3 business days = Thursday 15:00: not yet
    expect(await live()).toEqual([]);
    const first = await runFullPass(NOW);
    expect(first.written.created).toBe(1);
    const [t] = await live();
    expect(t).toMatchObject({ kind: 'no_reply', status: 'open', title: 'Follow up with Ana Costa: no reply to “Pricing”', sourceUrl: 'https://mail.google.com/mail/u/0/#inbox/thread-1' });
    const outboxBefore = await db.outbox.count();
    const again = await runFullPass(NOW + 60_000);
    expect(again.written).toEqual({ created: 0, retired: 0 });
    expect(await runFullPass(NOW + 90_000, { complete: true })).toMatchObject({ written: { created: 0, retired: 0 } });
    expect(await runForContacts([t!.contactId!], NOW + 120_000)).toMatchObject({ written: { created: 0, retired: 0 } });
    expect(await db.tasks.count()).toBe(1);
    expect(await db.outbox.count()).toBe(outboxBefore);
  });

  it('a written-to contact whose touch time was never recorded is still found (by the email facts)', async () => {
    await capturePage(thread([{ id: 'm1', from: me, to: [ana], date: SENT }]), { now: SENT });
    // As after a remote write: the contact is outside the lastTouchedAt index slice.
    await db.contacts.toCollection().modify((c) => void delete c.lastTouchedAt);
    expect(await db.contacts.where('lastTouchedAt').aboveOrEqual(0).count()).toBe(0);
    expect((await runFullPass(NOW)).written.created).toBe(1);
    expect(await live()).toMatchObject([{ kind: 'no_reply', title: 'Follow up with Ana Costa: no reply to “Pricing”' }]);
  });

  it('a captured reply clears the nudge by itself (incremental pass), as a tombstone the CRM hears about', async () => {
    await capturePage(thread([{ id: 'm1', from: me, to: [ana], date: SENT }]), { now: SENT });
    await runFullPass(NOW);
    const [t] = await live();
    const reply = thread([
      { id: 'm1', from: me, to: [ana], date: SENT },
      { id: 'm2', from: { ...ana, role: 'from' }, to: [{ ...me, role: 'to' }], date: NOW + 1000 },
    ]);
    await capturePage(reply, { now: NOW + 2000 });
    const r = await runForCapture(reply, NOW + 3000);
    expect(r.written.retired).toBe(1);
    expect(await live()).toEqual([]);
    expect((await db.tasks.get(t!.id))?.deletedAt).toBe(NOW + 3000);
    expect(await db.outbox.where('[entity+entityId]').equals(['task', t!.id]).filter((e) => e.op === 'delete').count()).toBe(1);
  });

  it('a dismissed nudge stays dismissed while it is the same instance; a newer email is a new one', async () => {
    await capturePage(thread([{ id: 'm1', from: me, to: [ana], date: SENT }]), { now: SENT });
    await runFullPass(NOW);
    const [t] = await live();
    await dismissTask(t!.id);
    await runFullPass(NOW + DAY);
    expect((await db.tasks.get(t!.id))?.status).toBe('dismissed');
    expect((await live()).filter((x) => x.status === 'open')).toEqual([]);

    const later = NOW + 2 * DAY;
    await capturePage(thread([{ id: 'm3', from: me, to: [ana], date: later }], 'thread-2'), { now: later });
    await runFullPass(later + 5 * DAY);
    const open = (await live()).filter((x) => x.status === 'open');
    expect(open.map((x) => x.ruleKey)).toEqual([expect.stringMatching(/^no_reply:.*:/)]);
    expect(open[0]!.ruleKey).not.toBe(t!.ruleKey);
    // The dismissed one's cause was superseded: it is retired, not left dangling.
    expect((await db.tasks.get(t!.id))?.deletedAt).toBeDefined();
  });

  it('done stays done even while the condition holds', async () => {
    await capturePage(thread([{ id: 'm1', from: me, to: [ana], date: SENT }]), { now: SENT });
    await runFullPass(NOW);
    const [t] = await live();
    await completeTask(t!.id, { now: NOW });
    await runFullPass(NOW + DAY);
    expect((await db.tasks.get(t!.id))?.status).toBe('done');
    expect(await db.tasks.count()).toBe(1);
  });

  it('an unanswered nudge older than the look-back window is kept, and still clears on a reply', async () => {
    await capturePage(thread([{ id: 'm1', from: me, to: [ana], date: SENT }]), { now: SENT });
    await runFullPass(NOW);
    const far = SENT + (NO_REPLY_LOOKBACK_DAYS + 10) * DAY;
    await runFullPass(far);
    expect((await live()).map((t) => t.kind)).toEqual(['no_reply']);
    await runFullPass(far, { complete: true });
    expect((await live()).map((t) => t.kind)).toEqual(['no_reply']);
    const reply = thread([{ id: 'm9', from: { ...ana, role: 'from' }, to: [{ ...me, role: 'to' }], date: far }]);
    await capturePage(reply, { now: far });
    // The capture's own pass clears it.
    await runForCapture(reply, far + 2000);
    expect(await live()).toEqual([]);
  });

  it('the periodic pass clears a no-reply nudge too, when the reply arrived without a pass of its own (a restore, a pull)', async () => {
    await capturePage(thread([{ id: 'm1', from: me, to: [ana], date: SENT }]), { now: SENT });
    await runFullPass(NOW);
    const far = SENT + (NO_REPLY_LOOKBACK_DAYS + 10) * DAY;
    const [c] = await db.contacts.toArray();
    await addActivities([{ kind: 'email', direction: 'inbound', occurredAt: far, contactIds: [c!.id], participants: [{ email: 'ana@acme.com', role: 'from' }] }], { now: far });
    expect(await live()).toHaveLength(1);
    await runFullPass(far + 1000);
    expect(await live()).toEqual([]);
  });

  it('deal rules: missing next step, overdue next step and stale; they retire when the deal moves on', async () => {
    const c = await createContact({ emails: ['bo@beta.io'], name: 'Bo', source: { origin: 'manual' }, lifecycleStage: 'opportunity' });
    const p = (await db.pipelines.toArray())[0]!;
    const created = NOW - 30 * DAY;
    const d = await createDeal({ name: 'Beta pilot', pipelineId: p.id, stageId: p.stages[0]!.id, contactIds: [c.id] }, { now: created });
    await runFullPass(NOW);
    const kinds = (await live()).map((t) => t.ruleKey!.split(':')[0]).sort();
    expect(kinds).toEqual(['missing_next_step', 'stale_deal']);

    await updateDeal(d.id, { nextStep: { text: 'Book the demo', dueAt: NOW - DAY } }, { now: NOW });
    await addActivities([{ kind: 'note', occurredAt: NOW, contactIds: [c.id], dealId: d.id, subject: 'Called' }], { now: NOW });
    await runFullPass(NOW + 1000);
    expect((await live()).map((t) => t.ruleKey)).toEqual([`overdue_next_step:${d.id}:${NOW - DAY}`]);

    await updateDeal(d.id, { nextStep: { text: 'Book the demo', dueAt: NOW + 7 * DAY } }, { now: NOW + 2000 });
    await runFullPass(NOW + 3000);
    expect(await live()).toEqual([]);
  });

  it('a missing next step that comes back in the same stage is nudged again; the retired one keeps its key aside', async () => {
    const c = await createContact({ emails: ['bo@beta.io'], source: { origin: 'manual' } });
    const p = (await db.pipelines.toArray())[0]!;
    const d = await createDeal({ name: 'Beta', pipelineId: p.id, stageId: p.stages[0]!.id, contactIds: [c.id] }, { now: NOW - 2 * DAY });
    await addActivities([{ kind: 'note', occurredAt: NOW, contactIds: [c.id], dealId: d.id }], { now: NOW });
    await runFullPass(NOW);
    const [t] = await live();
    expect(t?.kind).toBe('missing_next_step');
    await updateDeal(d.id, { nextStep: { text: 'x', dueAt: NOW + DAY } });
    await runFullPass(NOW + 1000);
    expect(await live()).toEqual([]);
    expect((await db.tasks.get(t!.id))?.ruleKey).toBe(`retired:${NOW + 1000}:${t!.ruleKey}`);
    await updateDeal(d.id, { nextStep: undefined });
    const r = await runFullPass(NOW + 2000);
    expect(r.written.created).toBe(1);
    expect(await live()).toMatchObject([{ ruleKey: t!.ruleKey, status: 'open' }]);
  });

  it('a next step with its own side-panel reminder gets no second "overdue" nudge', async () => {
    const c = await createContact({ emails: ['bo@beta.io'], source: { origin: 'manual' } });
    const p = (await db.pipelines.toArray())[0]!;
    const d = await createDeal({ name: 'Beta', pipelineId: p.id, stageId: p.stages[0]!.id, contactIds: [c.id], nextStep: { text: 'Demo', dueAt: NOW - DAY } }, { now: NOW - 2 * DAY });
    await createTask({ kind: 'next_step', title: 'Demo (Beta)', dueAt: NOW - DAY, dealId: d.id, ruleKey: `next-step:${d.id}` });
    await addActivities([{ kind: 'note', occurredAt: NOW, contactIds: [c.id], dealId: d.id }], { now: NOW });
    await runFullPass(NOW);
    expect(await live()).toEqual([]);
    await runFullPass(NOW, { complete: true });
    await runForContacts([c.id], NOW);
    expect(await live()).toEqual([]);
  });

  it('a won deal takes its nudges with it', async () => {
    const c = await createContact({ emails: ['bo@beta.io'], source: { origin: 'manual' } });
    const p = (await db.pipelines.toArray())[0]!;
    const d = await createDeal({ name: 'Beta', pipelineId: p.id, stageId: p.stages[0]!.id, contactIds: [c.id] }, { now: NOW - 30 * DAY });
    await runFullPass(NOW);
    expect((await live()).length).toBeGreaterThan(0);
    await db.deals.update(d.id, { status: 'won' });
    await runFullPass(NOW + 1000);
    expect(await live()).toEqual([]);
  });

  it('re-engage: a customer silent for 90 days; switching the rule off retires it', async () => {
    await createContact({ emails: ['old@client.com'], name: 'Old Client', source: { origin: 'import' }, lifecycleStage: 'customer', lastTouchedAt: NOW - 100 * DAY });
    await createContact({ emails: ['new@client.com'], source: { origin: 'import' }, lifecycleStage: 'customer', lastTouchedAt: NOW - 10 * DAY });
    await runFullPass(NOW, { complete: true });
    expect((await live()).map((t) => t.title)).toEqual(['Re-engage Old Client: no contact for 100 days']);
    const s = (await db.settings.get('settings'))!.value;
    await saveSettings({ reminders: { ...s.reminders, enabled: { ...s.reminders.enabled, reEngage: false } } });
    // Rules switched off retire their nudges whatever the pass reads.
    await runFullPass(NOW + 1000);
    expect(await live()).toEqual([]);
  });

  it('the periodic pass finds every silent customer from the customerQuietSince index, and a touch clears one', async () => {
    const crossing = await createContact({ emails: ['crossing@client.com'], name: 'Crossing', source: { origin: 'import' }, lifecycleStage: 'customer', lastTouchedAt: NOW - 91 * DAY });
    await createContact({ emails: ['long@client.com'], name: 'Long gone', source: { origin: 'import' }, lifecycleStage: 'customer', lastTouchedAt: NOW - 300 * DAY });
    await createContact({ emails: ['never@client.com'], name: 'Never touched', source: { origin: 'import' }, lifecycleStage: 'customer' }, { now: NOW - 120 * DAY });
    await createContact({ emails: ['lead@client.com'], name: 'A lead', source: { origin: 'import' }, lifecycleStage: 'lead', lastTouchedAt: NOW - 300 * DAY });
    // The index holds customers only, by last touch or, untouched, by creation.
    expect(await db.contacts.where('customerQuietSince').belowOrEqual(NOW).count()).toBe(3);
    await runFullPass(NOW);
    expect((await live()).map((t) => t.title).sort()).toEqual([
      'Re-engage Crossing: no contact for 91 days',
      'Re-engage Long gone: no contact for 300 days',
      'Re-engage Never touched: no contact for 120 days',
    ]);
    await touchContacts([crossing.id], NOW + 500);
    await runFullPass(NOW + 1000);
    expect((await live()).map((t) => t.title).sort()).toEqual(['Re-engage Long gone: no contact for 300 days', 'Re-engage Never touched: no contact for 120 days']);
  });

  it('an incremental pass never clears nudges of people it did not look at', async () => {
    await capturePage(thread([{ id: 'm1', from: me, to: [ana], date: SENT }]), { now: SENT });
    await runFullPass(NOW);
    const bo = await createContact({ emails: ['bo@beta.io'], source: { origin: 'manual' } });
    const r = await runForContacts([bo.id], NOW + 1000);
    expect(r.written.retired).toBe(0);
    expect(await live()).toHaveLength(1);
  });
});
