import { browser, type Browser } from 'wxt/browser';
import type { Contact, Deal, Task } from '@/lib/model';
import { platform } from './platform';

export const GROUP_NOTIFICATION_ID = 'tasks:due';
export const notificationIdOf = (taskId: string): string => `task:${taskId}`;
export const taskIdOfNotification = (id: string): string | undefined => (id.startsWith('task:') ? id.slice(5) : undefined);

/** Button order is the contract between `create` and `onButtonClicked`'s index. */
export const BUTTONS = [
  { action: 'done', title: 'Done' },
  { action: 'snooze', title: 'Snooze until tomorrow' },
] as const;
export type ButtonAction = (typeof BUTTONS)[number]['action'];

export interface NotificationView {
  title: string;
  message: string;
  contextMessage?: string;
  buttons?: { title: string }[];
}

const MAX_LINE = 120;
const line = (s: string): string => (s.length > MAX_LINE ? `${s.slice(0, MAX_LINE - 1)}…` : s);

/** Pure: what one task's notification says. The contact, the deal and its next step. */
export function taskView(t: Task, contact: Contact | undefined, deal: Deal | undefined, opts = { buttons: true }): NotificationView {
  const who = contact ? (contact.name ? `${contact.name} <${contact.emails[0]}>` : contact.emails[0]!) : undefined;
  const lines = [who, deal ? `Deal: ${deal.name}` : undefined, deal?.nextStep ? `Next step: ${deal.nextStep.text}` : undefined].filter(
    (s): s is string => Boolean(s),
  );
  return {
    title: line(t.title),
    message: lines.length ? lines.map(line).join('\n') : 'Open Threadline to see it.',
    contextMessage: 'Threadline reminder',
    ...(opts.buttons ? { buttons: BUTTONS.map((b) => ({ title: b.title })) } : {}),
  };
}

/** Pure: many due tasks at once become one notification, never a storm. */
export function groupView(tasks: Task[]): NotificationView {
  const shown = tasks.slice(0, 4).map((t) => `• ${line(t.title)}`);
  const more = tasks.length - shown.length;
  return {
    title: `${tasks.length} follow-ups are due`,
    message: [...shown, ...(more > 0 ? [`…and ${more} more`] : [])].join('\n'),
    contextMessage: 'Threadline: open the side panel to work through them',
  };
}

export async function show(id: string, view: NotificationView): Promise<void> {
  const options: Browser.notifications.NotificationCreateOptions = {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: view.title,
    message: view.message,
    ...(platform.contextMessage && view.contextMessage ? { contextMessage: view.contextMessage } : {}),
    ...(platform.notificationButtons && view.buttons ? { buttons: view.buttons } : {}),
    ...(platform.requireInteraction ? { requireInteraction: true } : {}),
  };
  await browser.notifications.create(id, options);
}

export async function clearNotification(id: string): Promise<void> {
  await browser.notifications.clear(id).catch(() => false);
}
