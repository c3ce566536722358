import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { db } from '@/lib/db';
import { completeTask, createContact, createDeal, createTask, dismissTask, ensureDefaults, snoozeTask, updateTask } from '@/lib/db/mutations';
import { idle, reconcileReminders, wireReminders } from '@/lib/reminders';
import { GROUP_NOTIFICATION_ID } from '@/lib/reminders/notify';
import { platform } from '@/lib/reminders/platform';
import { MAX_TASK_ALARMS } from '@/lib/reminders/schedule';
import { anyTimeSettings, iso } from './helpers';

const NOW = iso('2026-11-23T10:00:00Z'); // a Monday
const MIN = 60_000;

async function taskAlarms(): Promise<Record<string, number>> {
  const all = await fakeBrowser.alarms.getAll();
  return Object.fromEntries(all.filter((a) => a.name.startsWith('task:')).map((a) => [a.name, a.scheduledTime]));
}
const shown = () => fakeBrowser.notifications.getAllCreateOptions() as Record<string, { title: string; message: string; buttons?: { title: string }[] }>;
const badge = () => fakeBrowser.action.getBadgeText({});

beforeEach(async () => {
  await ensureDefaults();
  await anyTimeSettings();
  // Only Date is faked: IndexedDB's timers must keep running.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(async () => {
  await idle();
  vi.useRealTimers();
  platform.notificationButtons = true;
});

describe('alarm reconciliation', () => {
  it('gives every open future task an alarm task:<id> at its due time, and nothing else', async () => {
    const a = await createTask({ kind: 'follow_up', title: 'Call Ana', dueAt: NOW + 60 * MIN });
    const b = await createTask({ kind: 'follow_up', title: 'Send deck', dueAt: NOW + 24 * 60 * MIN });
    const done = await createTask({ kind: 'follow_up', title: 'Old', dueAt: NOW + 5 * MIN });
    await completeTask(done.id);
    await reconcileReminders(NOW);
    expect(await taskAlarms()).toEqual({ [`task:${a.id}`]: a.dueAt, [`task:${b.id}`]: b.dueAt });
  });

  it('restart: alarms lost with the browser are recreated from the task table', async () => {
    const a = await createTask({ kind: 'follow_up', title: 'Call Ana', dueAt: NOW + 60 * MIN });
    await reconcileReminders(NOW);
    await fakeBrowser.alarms.clearAll();
    // The browser comes back: runtime.onStartup wakes the worker, which reconciles.
    wireReminders();
    await fakeBrowser.runtime.onStartup.trigger();
    await reconcileReminders();
    expect(await taskAlarms()).toEqual({ [`task:${a.id}`]: a.dueAt });
    expect((await fakeBrowser.alarms.get('nudges'))?.periodInMinutes).toBe(30);
  });

  it('update: clears stale alarms and fixes wrong times', async () => {
    const a = await createTask({ kind: 'follow_up', title: 'Call Ana', dueAt: NOW + 60 * MIN });
    await fakeBrowser.alarms.create('task:gone-task', { when: NOW + 5 * MIN });
    await fakeBrowser.alarms.create(`task:${a.id}`, { when: NOW + 999 * MIN });
    wireReminders();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.0.9' } as never);
    await reconcileReminders();
    expect(await taskAlarms()).toEqual({ [`task:${a.id}`]: a.dueAt });
  });

  it('follows task writes: snooze moves the alarm, done and dismiss remove it', async () => {
    const a = await createTask({ kind: 'follow_up', title: 'A', dueAt: NOW + 60 * MIN });
    const b = await createTask({ kind: 'follow_up', title: 'B', dueAt: NOW + 60 * MIN });
    await reconcileReminders(NOW);
    await snoozeTask(a.id, NOW + 180 * MIN);
    await dismissTask(b.id);
    await reconcileReminders(NOW);
    expect(await taskAlarms()).toEqual({ [`task:${a.id}`]: NOW + 180 * MIN });
  });

  it('defers an alarm that falls in quiet hours to their end, and a weekend one to Monday', async () => {
    await anyTimeSettings({ quietHours: { start: '20:00', end: '08:00' }, workingDays: [1, 2, 3, 4, 5] });
    const late = await createTask({ kind: 'follow_up', title: 'late', dueAt: iso('2026-11-23T21:00:00Z') });
    const fri = await createTask({ kind: 'follow_up', title: 'friday night', dueAt: iso('2026-11-27T22:00:00Z') });
    await reconcileReminders(NOW);
    expect(await taskAlarms()).toEqual({
      [`task:${late.id}`]: iso('2026-11-24T08:00:00Z'),
      [`task:${fri.id}`]: iso('2026-11-30T08:00:00Z'),
    });
  });

  it('caps alarms at the nearest MAX_TASK_ALARMS; each wake-up tops them up', async () => {
    for (let i = 0; i < MAX_TASK_ALARMS + 5; i++) await createTask({ kind: 'follow_up', title: `t${i}`, dueAt: NOW + (i + 1) * MIN });
    await reconcileReminders(NOW);
    const names = Object.values(await taskAlarms());
    expect(names).toHaveLength(MAX_TASK_ALARMS);
    expect(Math.max(...names)).toBe(NOW + MAX_TASK_ALARMS * MIN);
  });
});

describe('notifications', () => {
  it('an alarm firing shows the task with its contact, deal and next step, two buttons, and the badge', async () => {
    await db.pipelines.toArray();
    const c = await createContact({ emails: ['ana@acme.com'], name: 'Ana Costa', source: { origin: 'manual' } });
    const pipeline = (await db.pipelines.toArray())[0]!;
    const d = await createDeal({ name: 'Acme renewal', pipelineId: pipeline.id, stageId: pipeline.stages[0]!.id, contactIds: [c.id], nextStep: { text: 'Send the contract', dueAt: NOW + 2 * 24 * 60 * MIN } });
    const t = await createTask({ kind: 'follow_up', title: 'Follow up with Ana', dueAt: NOW + 5 * MIN, contactId: c.id, dealId: d.id });
    wireReminders();
    await reconcileReminders();
    expect(await badge()).toBe('');

    vi.setSystemTime(t.dueAt);
    await fakeBrowser.alarms.onAlarm.trigger({ name: `task:${t.id}`, scheduledTime: t.dueAt, persistAcrossSessions: true } as never);
    await reconcileReminders();

    const n = shown()[`task:${t.id}`]!;
    expect(n.title).toBe('Follow up with Ana');
    expect(n.message).toContain('Ana Costa <ana@acme.com>');
    expect(n.message).toContain('Deal: Acme renewal');
    expect(n.message).toContain('Next step: Send the contract');
    expect(n.buttons?.map((b) => b.title)).toEqual(['Done', 'Snooze until tomorrow']);
    expect(await badge()).toBe('1');
    expect((await db.tasks.get(t.id))?.notifiedAt).toBe(t.dueAt);
  });

  it('catch-up: tasks that fell due while closed become ONE grouped notification, and never notify twice', async () => {
    const ids = [];
    for (const h of [30, 20, 10]) ids.push((await createTask({ kind: 'follow_up', title: `due ${h}h ago`, dueAt: NOW - h * 60 * MIN })).id);
    wireReminders();
    await fakeBrowser.runtime.onStartup.trigger();
    await reconcileReminders();
    expect(Object.keys(shown())).toEqual([GROUP_NOTIFICATION_ID]);
    expect(shown()[GROUP_NOTIFICATION_ID]!.title).toBe('3 follow-ups are due');
    expect(await badge()).toBe('3');

    await fakeBrowser.notifications.clear(GROUP_NOTIFICATION_ID);
    // Another start, an update, and a stray alarm: nothing new to say.
    await fakeBrowser.runtime.onStartup.trigger();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update' } as never);
    await fakeBrowser.alarms.onAlarm.trigger({ name: `task:${ids[0]}`, scheduledTime: NOW } as never);
    await reconcileReminders();
    expect(Object.keys(shown())).toEqual([]);
    expect(await badge()).toBe('3');
  });

  it('two wake-ups racing still notify once', async () => {
    const t = await createTask({ kind: 'follow_up', title: 'once', dueAt: NOW - MIN });
    const spy = vi.spyOn(fakeBrowser.notifications, 'create');
    const [r1, r2] = await Promise.all([reconcileReminders(NOW), reconcileReminders(NOW)]);
    expect([...r1.notified, ...r2.notified]).toEqual([t.id]);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('a snooze is a new due instance: it notifies again when the snooze ends', async () => {
    const t = await createTask({ kind: 'follow_up', title: 'again', dueAt: NOW - MIN });
    expect((await reconcileReminders(NOW)).notified).toEqual([t.id]);
    await snoozeTask(t.id, NOW + 60 * MIN);
    expect((await reconcileReminders(NOW)).notified).toEqual([]);
    expect((await reconcileReminders(NOW + 60 * MIN)).notified).toEqual([t.id]);
    // Moving the due date later is a new instance too.
    await updateTask(t.id, { dueAt: NOW + 120 * MIN });
    expect((await reconcileReminders(NOW + 120 * MIN)).notified).toEqual([t.id]);
  });

  it('Done on the notification closes the task, leaves a timeline entry and clears alarm, notification and badge', async () => {
    const c = await createContact({ emails: ['bo@beta.io'], source: { origin: 'manual' } });
    const t = await createTask({ kind: 'follow_up', title: 'Done me', dueAt: NOW - MIN, contactId: c.id });
    wireReminders();
    await reconcileReminders();
    expect(await badge()).toBe('1');
    await fakeBrowser.notifications.onButtonClicked.trigger(`task:${t.id}`, 0);
    await reconcileReminders();
    const stored = await db.tasks.get(t.id);
    expect(stored?.status).toBe('done');
    expect(await db.timeline.where('[contactId+occurredAt]').between([c.id, 0], [c.id, Infinity]).count()).toBe(1);
    expect(shown()[`task:${t.id}`]).toBeUndefined();
    expect(await badge()).toBe('');
  });

  it('Snooze until tomorrow on the notification moves it to 9:00 tomorrow in the rep\'s zone', async () => {
    await anyTimeSettings({ timeZone: 'America/New_York' });
    const t = await createTask({ kind: 'follow_up', title: 'Snooze me', dueAt: NOW - MIN });
    wireReminders();
    await reconcileReminders();
    await fakeBrowser.notifications.onButtonClicked.trigger(`task:${t.id}`, 1);
    await reconcileReminders();
    const stored = await db.tasks.get(t.id);
    expect(stored?.snoozedUntil).toBe(iso('2026-11-24T14:00:00Z')); // 09:00 EST
    expect(stored?.notifiedAt).toBeUndefined();
    expect(await taskAlarms()).toEqual({ [`task:${t.id}`]: iso('2026-11-24T14:00:00Z') });
    expect(await badge()).toBe('');
  });

  it('a click focuses the tab already showing the thread, else opens it', async () => {
    const url = 'https://mail.google.com/mail/u/0/#inbox/abc123';
    const t = await createTask({ kind: 'follow_up', title: 'Open me', dueAt: NOW - MIN, sourceUrl: url });
    const other = await createTask({ kind: 'follow_up', title: 'Open me too', dueAt: NOW - MIN, sourceUrl: 'https://mail.google.com/mail/u/0/#inbox/zzz' });
    const tab = await fakeBrowser.tabs.create({ url, active: false });
    vi.spyOn(fakeBrowser.windows, 'update').mockResolvedValue({} as never);
    wireReminders();
    await fakeBrowser.notifications.onClicked.trigger(`task:${t.id}`);
    expect((await fakeBrowser.tabs.get(tab.id!)).active).toBe(true);
    const before = (await fakeBrowser.tabs.query({})).length;
    await fakeBrowser.notifications.onClicked.trigger(`task:${other.id}`);
    const tabs = await fakeBrowser.tabs.query({});
    expect(tabs).toHaveLength(before + 1);
    expect(tabs.some((x) => x.url === 'https://mail.google.com/mail/u/0/#inbox/zzz')).toBe(true);
  });

  it('a click on a task without a URL, or on the group, opens the side panel page', async () => {
    const t = await createTask({ kind: 'follow_up', title: 'No url', dueAt: NOW - MIN });
    wireReminders();
    await fakeBrowser.notifications.onClicked.trigger(`task:${t.id}`);
    await fakeBrowser.notifications.onClicked.trigger(GROUP_NOTIFICATION_ID);
    const panels = (await fakeBrowser.tabs.query({})).filter((x) => x.url === fakeBrowser.runtime.getURL('/sidepanel.html'));
    expect(panels).toHaveLength(2);
  });

  it('Firefox: no buttons on the notification, and the badge goes to browserAction', async () => {
    platform.notificationButtons = false;
    const texts: string[] = [];
    const b = fakeBrowser as unknown as Record<string, unknown>;
    const action = b.action;
    b.action = undefined;
    b.browserAction = { setBadgeText: async (d: { text: string }) => void texts.push(d.text), setBadgeBackgroundColor: async () => undefined };
    try {
      const t = await createTask({ kind: 'follow_up', title: 'ff', dueAt: NOW - MIN });
      await reconcileReminders(NOW);
      expect(shown()[`task:${t.id}`]?.buttons).toBeUndefined();
      expect(texts).toEqual(['1']);
    } finally {
      b.action = action;
      delete b.browserAction;
    }
  });
});
