import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { PageContext } from '@/lib/model';

export interface ActiveContext {
  tabId?: number;
  context: PageContext | null;
  loading: boolean;
}

/**
 * Follows the active tab and its detected page. The background writes contexts to
 * storage.session; this reads them and re-reads on tab switches and storage changes.
 */
export function useActiveContext(): ActiveContext {
  const [state, setState] = useState<ActiveContext>({ context: null, loading: true });

  useEffect(() => {
    let alive = true;
    let currentTab: number | undefined;
    // `?tabId=` pins the panel to one tab: used when the panel is opened as a page (e2e, demo).
    const pinned = Number(new URLSearchParams(location.search).get('tabId')) || undefined;
    const load = async () => {
      const [tab] = pinned ? [{ id: pinned }] : await browser.tabs.query({ active: true, lastFocusedWindow: true, windowType: 'normal' });
      currentTab = tab?.id;
      if (currentTab === undefined) {
        if (alive) setState({ context: null, loading: false });
        return;
      }
      const key = `tab:${currentTab}`;
      const raw = (await browser.storage.session.get(key))[key];
      const parsed = PageContext.safeParse(raw);
      if (alive) setState({ tabId: currentTab, context: parsed.success ? parsed.data : null, loading: false });
    };
    const onStorage = (changes: Record<string, unknown>) => {
      if (currentTab !== undefined && `tab:${currentTab}` in changes) void load();
    };
    const onActivated = () => void load();
    const onUpdated = (tabId: number) => {
      if (tabId === currentTab) void load();
    };
    void load();
    browser.storage.session.onChanged.addListener(onStorage);
    browser.tabs.onActivated.addListener(onActivated);
    browser.tabs.onUpdated.addListener(onUpdated);
    return () => {
      alive = false;
      browser.storage.session.onChanged.removeListener(onStorage);
      browser.tabs.onActivated.removeListener(onActivated);
      browser.tabs.onUpdated.removeListener(onUpdated);
    };
  }, []);

  return state;
}
