import { browser } from 'wxt/browser';
import { PageContext } from '@/lib/model';

/**
 * The latest detected page per tab lives in storage.session: it survives a service-worker
 * restart, is hidden from content scripts, and is gone when the browser closes.
 */
const keyOf = (tabId: number) => `tab:${tabId}`;

export async function setTabContext(tabId: number, ctx: PageContext | null): Promise<void> {
  if (ctx) await browser.storage.session.set({ [keyOf(tabId)]: ctx });
  else await browser.storage.session.remove(keyOf(tabId));
}

export async function getTabContext(tabId: number): Promise<PageContext | null> {
  const raw = (await browser.storage.session.get(keyOf(tabId)))[keyOf(tabId)];
  const parsed = PageContext.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export async function clearTabContext(tabId: number): Promise<void> {
  await browser.storage.session.remove(keyOf(tabId));
}

export function tabIdFromKey(key: string): number | null {
  const m = /^tab:(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
}

export { keyOf as tabContextKey };
