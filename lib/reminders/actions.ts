import { browser } from 'wxt/browser';
import { afterWrite } from '@/lib/background/hooks';
import { db } from '@/lib/db';
import { completeTask, snoozeTask } from '@/lib/db/mutations';
import { getSettings } from '@/lib/db/queries';
import { AppError } from '@/lib/errors';
import type { Sender } from '@/lib/messaging/router';
import { resolveZone } from './calendar';
import { BUTTONS, GROUP_NOTIFICATION_ID, clearNotification, taskIdOfNotification } from './notify';
import { snoozeUntil } from './snooze';

/**
 * What a notification click or button press does. The real `notifications.on*` listeners and
 * the `notificationAction` message both land here, so the e2e test presses the same code.
 */
export async function onNotificationEvent(notificationId: string, buttonIndex?: number, now = Date.now()): Promise<void> {
  const taskId = taskIdOfNotification(notificationId);
  const action = buttonIndex === undefined ? 'open' : BUTTONS[buttonIndex]?.action;
  if (!action) return;
  await clearNotification(notificationId);

  if (taskId === undefined) {
    if (notificationId === GROUP_NOTIFICATION_ID) await openPanel();
    return;
  }
  const task = await db.tasks.get(taskId);
  if (!task || task.deletedAt) return openPanel();

  if (action === 'open') return openTaskSource(task.sourceUrl);
  if (action === 'done') await completeTask(taskId, { now });
  else {
    const tz = resolveZone((await getSettings()).reminders.timeZone);
    await snoozeTask(taskId, snoozeUntil('tomorrow', now, tz), { now });
  }
  // Sync hears about it, and the reminder listener reschedules and updates the badge.
  await afterWrite({ tables: ['tasks', 'activities'] });
}

/**
 * The `notificationAction` message: only extension pages may press a notification's buttons;
 * a content script (whose sender URL is the web page) may not.
 */
export async function notificationActionHandler(req: { notificationId: string; buttonIndex?: number }, sender: Sender): Promise<{ ok: true }> {
  const own = browser.runtime.getURL('/');
  if (!sender.url?.startsWith(own)) throw new AppError('forbidden_sender', 'Only Threadline’s own pages may act on its notifications.');
  await onNotificationEvent(req.notificationId, req.buttonIndex);
  return { ok: true };
}

const isWebUrl = (u: string): boolean => /^https?:\/\//i.test(u);

/** Focuses a tab already showing the thread or event, else opens it; no URL → the side panel. */
export async function openTaskSource(url: string | undefined): Promise<void> {
  if (!url || !isWebUrl(url)) return openPanel();
  const tabs = await browser.tabs.query({});
  const open = tabs.find((t) => t.url === url);
  if (open?.id !== undefined) {
    await browser.tabs.update(open.id, { active: true });
    if (open.windowId !== undefined) await browser.windows.update(open.windowId, { focused: true }).catch(() => undefined);
    return;
  }
  await browser.tabs.create({ url });
}

interface SidePanelApi {
  open(o: { windowId: number }): Promise<void>;
}
interface SidebarApi {
  open(): Promise<void>;
}

/**
 * Chrome's `sidePanel.open` and Firefox's `sidebarAction.open` want a user gesture, which a
 * notification click may or may not count as; the side panel page in a tab always works.
 */
export async function openPanel(): Promise<void> {
  const b = browser as unknown as { sidePanel?: SidePanelApi; sidebarAction?: SidebarApi };
  try {
    if (b.sidePanel) {
      const win = await browser.windows.getLastFocused();
      if (win.id !== undefined) return await b.sidePanel.open({ windowId: win.id });
    } else if (b.sidebarAction) {
      return await b.sidebarAction.open();
    }
  } catch {
    // No gesture, or no window: fall through to the tab.
  }
  await browser.tabs.create({ url: browser.runtime.getURL('/sidepanel.html') });
}
