import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handlers } from '@/lib/background/handlers';
import { setTabContext } from '@/lib/background/tab-context';
import { capturePage } from '@/lib/capture';
import { db } from '@/lib/db';
import { completeTask, createContact, createTask, ensureDefaults, markTasksNotified, saveSettings } from '@/lib/db/mutations';
import { createRouter } from '@/lib/messaging/router';
import type { PageContext } from '@/lib/model';
import { NUDGE_ALARM, idle, onAlarm, onWrite, wireReminders } from '@/lib/reminders';
import { alarmNameOf, planReminders } from '@/lib/reminders/schedule';
import { GROUP_NOTIFICATION_ID } from '@/lib/reminders/notify';
import { resolveZone } from '@/lib/reminders/calendar';
import { getSettings, openTasks } from '@/lib/db/queries';
import { ME, T0, event, thread } from '../capture/fixtures';
import { anyTimeSettings } from '../reminders/helpers';
import { killAt, restartWorkerDb, snapshot, type Injection } from './faults';
import { duplicatedKeys, integrityProblems } from './invariants';

const TAB = 7;
const PANEL = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/sidepanel.html') };

let kill: Injection | undefined;
afterEach(() => {
  kill?.restore();
  kill = undefined;
  vi.useRealTimers();
});
beforeEach(() => {
  // A killed run's rejections are logged by the code under test; they are the point here.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

/** The ids of the notifications the browser showed, whichever worker asked. */
function recordShown(): string[] {
  const shown: string[] = [];
  const create = fakeBrowser.notifications.create.bind(fakeBrowser.notifications);
  vi.spyOn(fakeBrowser.notifications, 'create').mockImplementation((async (id: string, o: never) => {
    const r = await create(id, o);
    shown.push(id);
    return r;
  }) as never);
  return shown;
}

async function restartDb(): Promise<void> {
  const fault = kill;
  kill = undefined;
  await restartWorkerDb(fault);
}

async function clearAll(): Promise<void> {
  fakeBrowser.reset();
  await Promise.all(db.tables.map((t) => t.clear()));
}

/** The store as a rep would compare it: who, what was logged, which links and queued changes. */
async function shape() {
  const [contacts, companies, activities, links, outbox] = await Promise.all([db.contacts.toArray(), db.companies.toArray(), db.activities.toArray(), db.timeline.count(), db.outbox.toArray()]);
  return {
    contacts: contacts.flatMap((c) => c.emails).sort(),
    companies: companies.map((c) => c.domain).sort(),
    activities: activities.map((a) => a.externalKey ?? a.kind).sort(),
    links,
    outbox: outbox.map((o) => `${o.entity}:${o.op}`).sort(),
  };
}

describe('the service worker dies during a capture', () => {
  it('at every step, the log either fully happened or not at all, and one retry logs it exactly once', async () => {
    const route = createRouter(handlers, { extensionId: fakeBrowser.runtime.id });
    const seed = async () => {
      await ensureDefaults();
      await saveSettings({ selfEmails: [ME], previewAcknowledged: true });
      await capturePage(event(), { now: T0 });
      await setTabContext(TAB, thread());
    };
    // The reference: what one clean log from the side panel stores.
    await seed();
    await route({ tl: 1, name: 'logPage', request: { tabId: TAB } }, PANEL);
    const complete = await shape();

    const outcomes = { none: 0, all: 0, partial: 0 };
    let duplicated = 0;
    let lost = 0;
    let k = 0;
    for (;;) {
      k++;
      await clearAll();
      await seed();
      const before = await snapshot();
      const beforeShape = await shape();

      kill = killAt(k, { session: fakeBrowser.storage.session, tabs: fakeBrowser.tabs });
      const res = await route({ tl: 1, name: 'logPage', request: { tabId: TAB } }, PANEL).catch((e: unknown) => ({ ok: false, thrown: e }));
      const fired = kill.fired;
      await restartDb();
      if (!fired) {
        expect(res).toMatchObject({ ok: true, value: { added: 3 } });
        break;
      }

      const after = await snapshot();
      const now = await shape();
      const state = JSON.stringify(after) === JSON.stringify(before) ? 'none' : JSON.stringify(now) === JSON.stringify(complete) ? 'all' : 'partial';
      outcomes[state]++;
      expect(state, `killed at step ${k}: ${JSON.stringify(now)}`).not.toBe('partial');
      expect(await integrityProblems(), `step ${k}`).toEqual([]);
      // Nothing stored before the log went missing.
      for (const [t, rows] of Object.entries(before)) lost += Math.max(0, rows.length - (after[t]?.length ?? 0));
      expect(now.activities).toEqual(expect.arrayContaining(beforeShape.activities));

      // The rep clicks Log again in the restarted worker.
      const retry = await route({ tl: 1, name: 'logPage', request: { tabId: TAB } }, PANEL);
      expect(retry, `retry after step ${k}`).toMatchObject({ ok: true, value: { added: state === 'all' ? 0 : 3, existing: state === 'all' ? 3 : 0 } });
      expect(await shape()).toEqual(complete);
      duplicated += await duplicatedKeys();
    }
    console.log(`[reliability] worker killed during capture: ${JSON.stringify({ killPoints: k - 1, ...outcomes, lost, duplicated })}`);
    expect(k - 1).toBeGreaterThan(15);
    expect(outcomes.partial).toBe(0);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
  });
});

const NOW = Date.UTC(2026, 10, 23, 10);
const HOUR = 3600_000;

describe('the service worker dies while scheduling reminders', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });

  /**
   * Due now and never notified (A), due and already notified (B), future (C, D), done (E), a
   * stale alarm for a task that is gone, and a new task the panel writes under fault (G).
   */
  async function seed() {
    await ensureDefaults();
    await anyTimeSettings();
    const ann = await createContact({ emails: ['ann@acme.example'], name: 'Ann', source: { origin: 'manual' } });
    const task = (title: string, dueAt: number) => createTask({ kind: 'follow_up', title, dueAt, contactId: ann.id });
    const a = await task('A due now', NOW - HOUR);
    const b = await task('B already notified', NOW - 2 * HOUR);
    await markTasksNotified([b.id], { now: NOW - 2 * HOUR });
    await task('C tomorrow', NOW + 24 * HOUR);
    await task('D in an hour', NOW + HOUR);
    await completeTask((await task('E done', NOW + 5 * HOUR)).id);
    await fakeBrowser.alarms.create('task:gone', { when: NOW + 3 * HOUR });
    // The complete nudge pass ran recently: a worker start only reconciles.
    await fakeBrowser.storage.local.set({ 'nudges:lastCompletePass': NOW });
    return { a, b };
  }

  /** Alarms the task table calls for, by the same pure planner the background uses. */
  async function expectedAlarms(): Promise<Record<string, number>> {
    const s = await getSettings();
    const plan = planReminders(await openTasks(), [], s.reminders, resolveZone(s.reminders.timeZone), Date.now());
    return Object.fromEntries(plan.create.map((a) => [a.name, a.when]));
  }
  const taskAlarms = async () => Object.fromEntries((await fakeBrowser.alarms.getAll()).filter((a) => a.name.startsWith('task:')).map((a) => [a.name, a.scheduledTime]));

  it('at every step: after the restart the alarms match the task table exactly, and a due task is notified exactly once', async () => {
    let k = 0;
    const totals = { killPoints: 0, alarmMismatches: 0, doubleNotified: 0, lostNotifications: 0, lostAlarms: 0 };
    for (;;) {
      k++;
      await clearAll();
      const { a, b } = await seed();
      // Every notification the browser showed, across the dead worker and the new one.
      const shown = recordShown();

      kill = killAt(k, { alarms: fakeBrowser.alarms, notifications: fakeBrowser.notifications, local: fakeBrowser.storage.local, action: fakeBrowser.action });
      // Under fault: the panel adds a task and tells the background, then A's alarm fires.
      const work = (async () => {
        await createTask({ kind: 'follow_up', title: 'G new', dueAt: NOW + 2 * HOUR });
        await onWrite({ tables: ['tasks'] });
        await onAlarm(alarmNameOf(a.id));
      })().catch(() => undefined);
      await work;
      const fired = kill.fired;
      await restartDb();

      // The restart: the browser wakes a new worker, which wires its listeners and reconciles.
      wireReminders();
      await idle();

      const want = await expectedAlarms();
      const have = await taskAlarms();
      if (JSON.stringify(have) !== JSON.stringify(want)) totals.alarmMismatches++;
      expect(have, `killed at step ${k}`).toEqual(want);
      totals.lostAlarms += Object.keys(want).filter((n) => !(n in have)).length;

      // A is notified once (alone or in a group); B, notified before, never again.
      const perTask = (id: string) => shown.filter((n) => n === `task:${id}`).length + (shown.includes(GROUP_NOTIFICATION_ID) ? shown.filter((n) => n === GROUP_NOTIFICATION_ID).length : 0);
      expect(shown.filter((n) => n === `task:${b.id}`), `step ${k}`).toEqual([]);
      const timesA = perTask(a.id);
      if (timesA > 1) totals.doubleNotified++;
      if (timesA === 0) totals.lostNotifications++;
      expect(timesA, `step ${k}: A shown ${shown.join(',')}`).toBe(1);
      expect((await db.tasks.get(a.id))?.notifiedAt).toBeDefined();
      vi.mocked(fakeBrowser.notifications.create).mockRestore();
      if (!fired) break;
      totals.killPoints++;
    }
    console.log(`[reliability] worker killed during reminder scheduling: ${JSON.stringify(totals)}`);
    expect(totals.killPoints).toBeGreaterThan(15);
    expect(totals.lostAlarms).toBe(0);
    expect(totals.doubleNotified).toBe(0);
    expect(totals.lostNotifications).toBe(0);
  });
});

describe('the service worker dies between a capture and its nudge', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });

  const SENT = NOW - 7 * 24 * HOUR;
  const me = { email: 'me@us.com', role: 'from' as const, self: true };
  const ana = { email: 'ana@acme.com', name: 'Ana Costa', role: 'to' as const };
  // The rep wrote to Ana a week ago and heard nothing: logging it makes a no-reply nudge, due now.
  const ctx: PageContext = { site: 'gmail', view: 'thread', key: 't1', url: 'https://mail.google.com/mail/u/0/#inbox/t1', subject: 'Pricing', people: [], messages: [{ id: 'm1', from: me, to: [ana], date: SENT }] };
  const nudges = async () => (await db.tasks.toArray()).filter((t) => t.ruleKey?.startsWith('no_reply:') && !t.deletedAt);

  it('at every step: the next periodic pass makes the nudge the capture’s hook did not, once, and it is notified once', async () => {
    const route = createRouter(handlers, { extensionId: fakeBrowser.runtime.id });
    const totals = { killPoints: 0, captureCommitted: 0, nudgeMadeByPeriodicPass: 0, lostNudges: 0, duplicatedNudges: 0, doubleNotified: 0 };
    for (let k = 1; ; k++) {
      await clearAll();
      await ensureDefaults();
      await anyTimeSettings();
      await saveSettings({ selfEmails: [me.email], previewAcknowledged: true });
      await fakeBrowser.storage.local.set({ 'nudges:lastCompletePass': NOW });
      wireReminders();
      await idle();
      await setTabContext(TAB, ctx);
      const shown = recordShown();

      kill = killAt(k, { alarms: fakeBrowser.alarms, notifications: fakeBrowser.notifications, local: fakeBrowser.storage.local, action: fakeBrowser.action, session: fakeBrowser.storage.session, tabs: fakeBrowser.tabs });
      const res = await route({ tl: 1, name: 'logPage', request: { tabId: TAB } }, PANEL).catch((e: unknown) => ({ ok: false, thrown: e }));
      await idle().catch(() => undefined);
      const fired = kill.fired;
      await restartDb();
      if (!fired) {
        expect(res).toMatchObject({ ok: true, value: { added: 1 } });
        expect(await nudges()).toHaveLength(1);
        vi.mocked(fakeBrowser.notifications.create).mockRestore();
        break;
      }
      totals.killPoints++;

      // A new worker starts; half an hour later the periodic nudge alarm fires.
      wireReminders();
      await idle();
      const committed = (await db.activities.count()) === 1;
      const hadNudge = (await nudges()).length;
      await onAlarm(NUDGE_ALARM);
      await idle();
      if (committed) {
        totals.captureCommitted++;
        if (!hadNudge) totals.nudgeMadeByPeriodicPass++;
        if ((await nudges()).length === 0) totals.lostNudges++;
        expect(await nudges(), `step ${k}: the periodic pass left the logged thread without its nudge`).toHaveLength(1);
      }
      // The rep logs the thread again (a no-op when it was stored).
      expect(await route({ tl: 1, name: 'logPage', request: { tabId: TAB } }, PANEL)).toMatchObject({ ok: true, value: { added: committed ? 0 : 1 } });
      await idle();
      const live = await nudges();
      if (live.length > 1) totals.duplicatedNudges++;
      expect(live, `step ${k}`).toHaveLength(1);
      const times = shown.filter((n) => n === `task:${live[0]!.id}` || n === GROUP_NOTIFICATION_ID).length;
      if (times > 1) totals.doubleNotified++;
      expect(times, `step ${k}: notifications ${shown.join(',')}`).toBe(1);
      vi.mocked(fakeBrowser.notifications.create).mockRestore();
    }
    console.log(`[reliability] worker killed between a capture and its nudge: ${JSON.stringify(totals)}`);
    expect(totals.killPoints).toBeGreaterThan(20);
    expect(totals.lostNudges).toBe(0);
    expect(totals.duplicatedNudges).toBe(0);
    expect(totals.doubleNotified).toBe(0);
  });
});
