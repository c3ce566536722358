import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterWrite } from '@/lib/background/hooks';
import { capturePage } from '@/lib/capture';
import { db } from '@/lib/db';
import { applyNudgeWrites, ensureDefaults, saveSettings } from '@/lib/db/mutations';
import type { PageContext } from '@/lib/model';
import { NUDGE_ALARM, idle, wireReminders } from '@/lib/reminders';
import { anyTimeSettings, iso } from './helpers';

const SENT = iso('2026-11-16T15:00:00Z');
const NOW = iso('2026-11-23T10:00:00Z');
const me = { email: 'me@us.com', role: 'from' as const, self: true };
const ana = { email: 'ana@acme.com', name: 'Ana Costa', role: 'to' as const };
const thread = (messages: PageContext['messages']): PageContext => ({ site: 'gmail', view: 'thread', key: 't1', url: 'https://mail.google.com/mail/u/0/#inbox/t1', subject: 'Pricing', people: [], messages });

beforeEach(async () => {
  await ensureDefaults();
  await anyTimeSettings();
  await saveSettings({ selfEmails: ['me@us.com'] });
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(async () => {
  await idle();
  vi.useRealTimers();
});

const liveNudges = async () => (await db.tasks.toArray()).filter((t) => t.ruleKey?.startsWith('no_reply:') && !t.deletedAt);

describe('reminders wired into the background', () => {
  it('the periodic nudge alarm creates the nudge, which notifies and counts on the badge; a captured reply clears all three', async () => {
    await capturePage(thread([{ id: 'm1', from: me, to: [ana], date: SENT }]), { now: SENT });
    wireReminders();
    await idle();
    await fakeBrowser.alarms.onAlarm.trigger({ name: NUDGE_ALARM, scheduledTime: NOW } as never);
    await idle();
    const [nudge] = await liveNudges();
    expect(nudge?.title).toBe('Follow up with Ana Costa: no reply to “Pricing”');
    const shown = fakeBrowser.notifications.getAllCreateOptions() as Record<string, { title: string }>;
    expect(shown[`task:${nudge!.id}`]?.title).toBe(nudge!.title);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');

    // Ana answers; the rep logs the thread again. The background's after-write hook runs.
    const reply = thread([
      { id: 'm1', from: me, to: [ana], date: SENT },
      { id: 'm2', from: { ...ana, role: 'from' }, to: [{ ...me, role: 'to' }], date: NOW - 1000 },
    ]);
    await capturePage(reply, { now: NOW });
    await afterWrite({ captured: reply, tables: ['activities', 'contacts'] });
    await idle();
    expect(await liveNudges()).toEqual([]);
    expect(Object.keys(fakeBrowser.notifications.getAllCreateOptions())).toEqual([]);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });

  it('start-up runs the complete pass: nudges that came due while the browser was closed notify once, grouped', async () => {
    await capturePage(thread([{ id: 'm1', from: me, to: [ana], date: SENT }]), { now: SENT });
    await db.contacts.add({ id: 'c-old', emails: ['old@client.com'], name: 'Old', lifecycleStage: 'customer', status: 'active', source: { origin: 'import' }, createdAt: 1, updatedAt: 1, lastTouchedAt: NOW - 200 * 86_400_000, remoteIds: {} });
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    // The worker starts (wireReminders reconciles) and the browser reports its start-up too.
    wireReminders();
    await fakeBrowser.runtime.onStartup.trigger();
    await idle();
    expect(create).toHaveBeenCalledTimes(1);
    const shown = Object.keys(fakeBrowser.notifications.getAllCreateOptions());
    expect(shown).toEqual(['tasks:due']);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('2');
  });

  it('a bare worker wake-up does not re-read the whole store if a complete pass ran within a day; a browser start does', async () => {
    await db.contacts.add({ id: 'c-old', emails: ['old@client.com'], name: 'Old', lifecycleStage: 'customer', status: 'active', source: { origin: 'import' }, createdAt: 1, updatedAt: 1, lastTouchedAt: NOW - 200 * 86_400_000, remoteIds: {} });
    await fakeBrowser.storage.local.set({ 'nudges:lastCompletePass': NOW - 60_000 });
    const reEngage = async () => (await db.tasks.toArray()).filter((t) => t.ruleKey?.startsWith('re_engage:') && !t.deletedAt);
    wireReminders();
    await idle();
    expect(await reEngage()).toEqual([]);
    await fakeBrowser.runtime.onStartup.trigger();
    await idle();
    expect((await reEngage()).map((t) => t.contactId)).toEqual(['c-old']);
  });

  it('the daily complete pass also purges nudge tombstones retired over 30 days ago, and only those', async () => {
    await applyNudgeWrites({ create: ['old', 'new'].map((k) => ({ ruleKey: `stale_deal:${k}:1`, kind: 'stale_deal' as const, title: k, dueAt: NOW - 90 * 86_400_000 })), retire: [] }, { now: NOW - 90 * 86_400_000 });
    await applyNudgeWrites({ create: [], retire: ['stale_deal:old:1'] }, { now: NOW - 31 * 86_400_000 });
    await applyNudgeWrites({ create: [], retire: ['stale_deal:new:1'] }, { now: NOW - 2 * 86_400_000 });
    await fakeBrowser.storage.local.set({ 'nudges:lastCompletePass': NOW - 60_000 });
    wireReminders();
    await idle();
    // A wake-up within a day of the last complete pass leaves them alone.
    expect((await db.tasks.toArray()).map((t) => t.title).sort()).toEqual(['new', 'old']);
    await fakeBrowser.runtime.onStartup.trigger();
    await idle();
    expect((await db.tasks.toArray()).map((t) => t.title)).toEqual(['new']);
  });
});
