import { browser } from 'wxt/browser';
import { db } from '@/lib/db';
import { markTasksNotified } from '@/lib/db/mutations/tasks';
import { getSettings, openTasks } from '@/lib/db/queries';
import type { Task } from '@/lib/model';
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

  // Claim first, then show: a claimed task is never shown again for the same due time.
  const claimed = plan.notifyNow.length ? await markTasksNotified(plan.notifyNow.map((t) => t.id), { now }) : [];
  if (claimed.length === 1) await showTask(claimed[0]!);
  else if (claimed.length > 1) await show(GROUP_NOTIFICATION_ID, groupView(claimed));

  await clearSettledNotifications(tasks, now);
  await showDueCount(plan.dueCount);
  return { created: plan.create.map((a) => a.name), cleared: plan.clear, notified: claimed.map((t) => t.id), dueCount: plan.dueCount };
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
