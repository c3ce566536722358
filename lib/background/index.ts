import { browser } from 'wxt/browser';
import { ensureDefaults } from '@/lib/db/mutations';
import { createRouter } from '@/lib/messaging/router';
import { getSettings } from '@/lib/db/queries';
import { toAppError } from '@/lib/errors';
import { handlers, logPageContext, pushToTab } from './handlers';
import { clearTabContext, getTabContext } from './tab-context';
import { wireReminders } from '@/lib/reminders';
import { wireSync } from '@/lib/sync/schedule';

/** Wires the background. Every listener registers synchronously: the worker may wake for any. */
export function startBackground(): void {
  const route = createRouter(handlers, { extensionId: browser.runtime.id });
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));

  browser.runtime.onInstalled.addListener((details) => {
    void ensureDefaults();
    // First install only: the short setup lives on the options page. Updates open nothing.
    if (details.reason === 'install') void Promise.resolve().then(() => browser.runtime.openOptionsPage()).catch(() => undefined);
  });
  wireReminders();
  wireSync();
  browser.runtime.onStartup.addListener(() => void ensureDefaults());
  browser.tabs.onRemoved.addListener((tabId) => void clearTabContext(tabId));

  // Chrome opens the side panel from the toolbar button; Firefox toggles its sidebar.
  const sidePanel = (browser as unknown as { sidePanel?: { setPanelBehavior(o: { openPanelOnActionClick: boolean }): Promise<void> } }).sidePanel;
  if (sidePanel) void sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => undefined);
  const ff = browser as unknown as { sidebarAction?: { toggle(): Promise<void> }; browserAction?: { onClicked: { addListener(f: () => void): void } } };
  if (ff.sidebarAction && ff.browserAction) ff.browserAction.onClicked.addListener(() => void ff.sidebarAction!.toggle());

  browser.commands?.onCommand.addListener((command, tab) => {
    if (command !== 'log-page') return;
    // Chrome passes the tab the shortcut was pressed in; older browsers do not.
    void (tab?.id !== undefined ? logTabFromCommand(tab.id) : logActiveTab());
  });
}

async function logActiveTab(): Promise<void> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id !== undefined) await logTabFromCommand(tab.id);
}

/**
 * The keyboard command's path: the same `logPageContext` as the button, with the receipt (or
 * the reason it failed) pushed to the tab's in-page button. Before the first log the page shows
 * the preview instead, so the shortcut never skips it.
 */
export async function logTabFromCommand(tabId: number): Promise<void> {
  const ctx = await getTabContext(tabId);
  if (!ctx) return pushToTab(tabId, { event: 'error', message: 'Nothing to log on this page: open a thread or an event first.' });
  try {
    if (!(await getSettings()).previewAcknowledged) return pushToTab(tabId, { event: 'confirmLog' });
    await pushToTab(tabId, { event: 'receipt', receipt: await logPageContext(ctx) });
  } catch (e) {
    await pushToTab(tabId, { event: 'error', message: toAppError(e).message.slice(0, 500) });
  }
}
