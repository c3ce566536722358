import { browser } from 'wxt/browser';

/**
 * Brings back the thread or event a task came from: an open tab showing it is focused,
 * otherwise it opens in a new tab. Fragments matter (Gmail threads live in the hash).
 */
export async function openSourceUrl(url: string): Promise<void> {
  // The model only stores http(s) addresses; a record from before that rule, or any other
  // scheme, is not opened at all.
  if (!/^https?:\/\//i.test(url)) return;
  const tabs = await browser.tabs.query({});
  const same = tabs.find((t) => t.url === url) ?? tabs.find((t) => t.url && sameWithoutQuery(t.url, url));
  if (same?.id !== undefined) {
    await browser.tabs.update(same.id, { active: true });
    if (same.windowId !== undefined) await browser.windows.update(same.windowId, { focused: true }).catch(() => undefined);
    return;
  }
  await browser.tabs.create({ url });
}

function sameWithoutQuery(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname === y.pathname && x.hash === y.hash && x.hash !== '';
  } catch {
    return false;
  }
}
