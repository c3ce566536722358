import { browser } from 'wxt/browser';
import { capturePage } from '@/lib/capture';
import { ensureDefaults } from '@/lib/db/mutations';
import { createRouter } from '@/lib/messaging/router';
import { handlers } from './handlers';
import { clearTabContext, getTabContext } from './tab-context';
import { afterWrite } from './hooks';
import { tabEvent } from '@/lib/messaging/tab-events';

/** Wires the background. Every listener registers synchronously: the worker may wake for any. */
export function startBackground(): void {
  const route = createRouter(handlers, { extensionId: browser.runtime.id });
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));

  browser.runtime.onInstalled.addListener(() => void ensureDefaults());
  browser.runtime.onStartup.addListener(() => void ensureDefaults());
  browser.tabs.onRemoved.addListener((tabId) => void clearTabContext(tabId));

  // Chrome opens the side panel from the toolbar button; Firefox toggles its sidebar.
  const sidePanel = (browser as unknown as { sidePanel?: { setPanelBehavior(o: { openPanelOnActionClick: boolean }): Promise<void> } }).sidePanel;
  if (sidePanel) void sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => undefined);
  const ff = browser as unknown as { sidebarAction?: { toggle(): Promise<void> }; browserAction?: { onClicked: { addListener(f: () => void): void } } };
  if (ff.sidebarAction && ff.browserAction) ff.browserAction.onClicked.addListener(() => void ff.sidebarAction!.toggle());

  browser.commands?.onCommand.addListener((command) => {
    if (command === 'log-page') void logActiveTab();
  });
}

async function logActiveTab(): Promise<void> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) return;
  const ctx = await getTabContext(tab.id);
  if (!ctx) return;
  try {
    const receipt = await capturePage(ctx);
    await afterWrite({ captured: ctx, tables: ['activities', 'contacts'] });
    await browser.tabs.sendMessage(tab.id, tabEvent({ event: 'receipt', receipt })).catch(() => undefined);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await browser.tabs.sendMessage(tab.id, tabEvent({ event: 'error', message })).catch(() => undefined);
  }
}
