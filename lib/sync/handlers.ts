import { browser } from 'wxt/browser';
import { AppError } from '@/lib/errors';
import type { Handlers, Sender } from '@/lib/messaging/router';
import { connect, connectOAuth, disconnect, overview, resolveConflict, retryFailed, syncNow, testConnection } from './service';

type SyncMessages = 'connectCrm' | 'oauthConnectCrm' | 'testCrm' | 'disconnectCrm' | 'syncNow' | 'syncStatus' | 'retryFailed' | 'resolveConflict';

/** CRM credentials and sync controls: extension pages only, never a content script. */
function pagesOnly(sender: Sender): void {
  if (!sender.url?.startsWith(browser.runtime.getURL('/'))) throw new AppError('forbidden_sender', 'Only Threadline’s own pages can manage the CRM connection.');
}

export const syncHandlers: Pick<Handlers, SyncMessages> = {
  connectCrm: async (req, sender) => {
    pagesOnly(sender);
    const res = await connect(req);
    void syncNow().catch(() => undefined);
    return res;
  },
  oauthConnectCrm: async (req, sender) => {
    pagesOnly(sender);
    const res = await connectOAuth(req);
    void syncNow().catch(() => undefined);
    return res;
  },
  testCrm: async (req, sender) => {
    pagesOnly(sender);
    return testConnection(req);
  },
  disconnectCrm: async (_req, sender) => {
    pagesOnly(sender);
    await disconnect();
    return { ok: true as const };
  },
  syncNow: async (_req, sender) => {
    pagesOnly(sender);
    // Answer at once; the page follows progress through syncStatus.
    void syncNow().catch(() => undefined);
    return { ok: true as const };
  },
  syncStatus: async (_req, sender) => {
    pagesOnly(sender);
    return overview();
  },
  retryFailed: async ({ entity, entityId }, sender) => {
    pagesOnly(sender);
    const n = await retryFailed(entity, entityId);
    void syncNow().catch(() => undefined);
    return { retried: n };
  },
  resolveConflict: async ({ id, keep }, sender) => {
    pagesOnly(sender);
    await resolveConflict(id, keep);
    void syncNow().catch(() => undefined);
    return { ok: true as const };
  },
};
