import { browser } from 'wxt/browser';
import { capturePage, contextWithinPrivacy, previewCapture, receiptFor } from '@/lib/capture';
import { db } from '@/lib/db';
import { saveSettings } from '@/lib/db/mutations';
import { contactsByEmails, getSettings } from '@/lib/db/queries';
import { AppError } from '@/lib/errors';
import type { Receipt } from '@/lib/messaging/protocol';
import type { Handlers, Sender } from '@/lib/messaging/router';
import { tabEvent, type TabEvent } from '@/lib/messaging/tab-events';
import type { PageContext } from '@/lib/model';
import { getTabContext, setTabContext } from './tab-context';
import { afterWrite } from './hooks';
import { notificationActionHandler } from '@/lib/reminders/actions';
import { syncHandlers } from '@/lib/sync/handlers';

/**
 * A content script may only speak for its own tab: its context comes from the message, and
 * the tab id from the sender, never from the request.
 */
async function contextFor(req: { context?: PageContext; tabId?: number }, sender: Sender): Promise<PageContext> {
  if (sender.tab?.id !== undefined && !isExtensionPage(sender)) {
    if (req.context) return req.context;
    const stored = await getTabContext(sender.tab.id);
    if (stored) return stored;
  } else if (req.tabId !== undefined) {
    const stored = await getTabContext(req.tabId);
    if (stored) return stored;
  } else if (req.context) {
    return req.context;
  }
  throw new AppError('not_found', 'Nothing to log on this page: open a thread or an event first.');
}

/** The side panel opened as a tab (demo, e2e) has a sender tab too, but it names the tab it follows. */
function isExtensionPage(sender: Sender): boolean {
  return Boolean(sender.url?.startsWith(browser.runtime.getURL('/')));
}

async function connectedProvider(): Promise<string | undefined> {
  return (await db.credentials.toCollection().first())?.providerId;
}

/**
 * The one logging path: the in-page button, the side panel and the keyboard command all end
 * here, so they cannot drift apart. Listeners (reminders, sync) run after the commit.
 */
export async function logPageContext(ctx: PageContext): Promise<Receipt> {
  const receipt = await capturePage(ctx, { provider: await connectedProvider() });
  await afterWrite({ captured: ctx, tables: ['activities', 'contacts'] });
  return receipt;
}

/**
 * Pushes an event to a tab's in-page button. Best effort and never throws: a tab without our
 * content script (closed, navigated away, another site) must not fail a log that committed.
 */
export async function pushToTab(tabId: number, e: TabEvent): Promise<void> {
  try {
    await browser.tabs.sendMessage(tabId, tabEvent(e));
  } catch {
    // nobody listening in that tab
  }
}

export const handlers: Handlers = {
  ...syncHandlers,
  ping: () => ({ version: browser.runtime.getManifest().version, now: Date.now() }),

  pageContext: async ({ context }, sender) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new AppError('bad_request', 'pageContext comes from a tab.');
    await setTabContext(tabId, context && contextWithinPrivacy(context, (await getSettings()).privacy));
    return { ok: true };
  },

  logPage: async (req, sender) => {
    const receipt = await logPageContext(await contextFor(req, sender));
    // Logged from the side panel: the page's own button shows the same receipt.
    if (sender.tab?.id === undefined && req.tabId !== undefined) await pushToTab(req.tabId, { event: 'receipt', receipt });
    return receipt;
  },

  previewPage: async (req, sender) => previewCapture(await contextFor(req, sender)),

  acknowledgePreview: async () => {
    await saveSettings({ previewAcknowledged: true });
    return { ok: true };
  },

  lookupPeople: async ({ emails }) => {
    const found = await contactsByEmails(emails);
    const people = [];
    for (const [email, c] of found) {
      const open = (await db.deals.where('contactIds').equals(c.id).toArray()).find((d) => d.status === 'open' && !d.deletedAt);
      const stageName = open ? (await db.pipelines.get(open.pipelineId))?.stages.find((s) => s.id === open.stageId)?.name : undefined;
      people.push({ email, contactId: c.id, name: c.name, stage: c.lifecycleStage, dealStage: stageName });
    }
    return { people };
  },

  receiptFor: async ({ key }) => receiptFor(key, await connectedProvider()),

  notificationAction: (req, sender) => notificationActionHandler(req, sender),

  storeChanged: async ({ tables }) => {
    await afterWrite({ tables });
    return { ok: true };
  },
};
