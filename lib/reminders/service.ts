import { browser } from 'wxt/browser';
import { db } from '@/lib/db';
import { markTasksNotified, notifiedForCurrentDue } from '@/lib/db/mutations/tasks';
import { getSettings, openTasks } from '@/lib/db/queries';
import { effectiveDueAt, type Task } from '@/lib/model';
import { showDueCount } from './badge';
import { resolveZone } from './calendar';
import { GROUP_NOTIFICATION_ID, clearNotification, groupView, notificationIdOf, show, taskIdOfNotification, taskView } from './notify';
import { platform } from './platform';
import { planReminders } from './schedule';

export interface ReconcileResult {
  created: string[];
  cleared: string[];
  notified: string[];
  dueCount: number;
}

let chain: Promise<unknown> = Promise.resolve();

/**
 * Makes alarms, notifications and the badge agree with the task table. Runs on worker start,
 * browser start, install/update, every alarm and every task write; calls queue up one after
 * another, so two wake-ups at once cannot both notify.
 */
export function reconcileReminders(now?: number): Promise<ReconcileResult> {
  const run = chain.then(() => reconcileOnce(now ?? Date.now()));
  chain = run.catch(() => undefined);
  return run;
}

/** Resolves when every queued reconcile has run. */
export function remindersSettled(): Promise<unknown> {
  return chain;
}

async function reconcileOnce(now: number): Promise<ReconcileResult> {
  const [settings, tasks, alarms] = await Promise.all([getSettings(), openTasks(), browser.alarms.getAll()]);
  const tz = resolveZone(settings.reminders.timeZone);
  const plan = planReminders(tasks, alarms, settings.reminders, tz, now);

  await Promise.all(plan.clear.map((n) => browser.alarms.clear(n)));
  for (const a of plan.create) await browser.alarms.create(a.name, { when: a.when });

  await showLeftovers(tasks, now);
  // Claim first, then show: a claimed task is never shown again for the same due time.
  const claimed = plan.notifyNow.length ? await claim(plan.notifyNow.map((t) => t.id), now) : [];
  await display(claimed);
  if (claimed.length) await db.syncState.delete(SHOWING_KEY);

  await clearSettledNotifications(tasks, now);
  await showDueCount(plan.dueCount);
  return { created: plan.create.map((a) => a.name), cleared: plan.clear, notified: claimed.map((t) => t.id), dueCount: plan.dueCount };
}

/**
 * Tasks claimed but maybe not shown yet: the worker can stop between the claim and the
 * notification. Written in the claim's transaction, deleted once shown. (A key in the generic
 * key-value table; sync's keys all carry their own prefixes.)
 */
const SHOWING_KEY = 'reminders:showing';

async function claim(ids: string[], now: number): Promise<Task[]> {
  return db.transaction('rw', db.tasks, db.syncState, async () => {
    const claimed = await markTasksNotified(ids, { now });
    if (claimed.length) await db.syncState.put({ key: SHOWING_KEY, value: claimed.map((t) => t.id) });
    return claimed;
  });
}

async function display(tasks: Task[]): Promise<void> {
  if (tasks.length === 1) await showTask(tasks[0]!);
  else if (tasks.length > 1) await show(GROUP_NOTIFICATION_ID, groupView(tasks));
}

/**
 * A claim left behind by a stopped worker: shows what the browser is not showing (notifications
 * outlive the worker, so one shown before the stop is still listed), then drops the claim.
 * Tasks done, snoozed or rescheduled since are not shown.
 */
async function showLeftovers(open: Task[], now: number): Promise<void> {
  const left = (await db.syncState.get(SHOWING_KEY))?.value as string[] | undefined;
  if (!left) return;
  const onScreen = await browser.notifications.getAll();
  const byId = new Map(open.map((t) => [t.id, t]));
  const due = left.flatMap((id) => {
    const t = byId.get(id);
    return t && notifiedForCurrentDue(t) && effectiveDueAt(t) <= now ? [t] : [];
  });
  if (!onScreen[GROUP_NOTIFICATION_ID]) await display(due.filter((t) => !onScreen[notificationIdOf(t.id)]));
  await db.syncState.delete(SHOWING_KEY);
}

async function showTask(t: Task): Promise<void> {
  const [contact, deal] = await Promise.all([
    t.contactId ? db.contacts.get(t.contactId) : undefined,
    t.dealId ? db.deals.get(t.dealId) : undefined,
  ]);
  await show(notificationIdOf(t.id), taskView(t, contact, deal, { buttons: platform.notificationButtons }));
}

/** A task done, snoozed or dismissed elsewhere (the side panel) takes its notification with it. */
async function clearSettledNotifications(openList: Task[], now: number): Promise<void> {
  const shown = Object.keys(await browser.notifications.getAll());
  if (!shown.length) return;
  const stillDue = new Set(openList.filter((t) => Math.max(t.dueAt, t.snoozedUntil ?? 0) <= now).map((t) => t.id));
  for (const id of shown) {
    const taskId = taskIdOfNotification(id);
    if (taskId !== undefined && !stillDue.has(taskId)) await clearNotification(id);
    if (id === GROUP_NOTIFICATION_ID && stillDue.size === 0) await clearNotification(id);
  }
}
