import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handlers, logPageContext } from '@/lib/background/handlers';
import { logTabFromCommand } from '@/lib/background';
import { onAfterWrite } from '@/lib/background/hooks';
import { setTabContext } from '@/lib/background/tab-context';
import { db } from '@/lib/db';
import { getSettings } from '@/lib/db/queries';
import { saveSettings } from '@/lib/db/mutations';
import { createRouter } from '@/lib/messaging/router';
import { thread } from './fixtures';

const TAB = 7;
let pushed: { tabId: number; msg: unknown }[];

beforeEach(() => {
  pushed = [];
  vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation((async (tabId: number, msg: unknown) => {
    pushed.push({ tabId, msg });
  }) as never);
});

const events = () => pushed.map((p) => (p.msg as { tabEvent: { event: string } }).tabEvent);

describe('one logging path', () => {
  it('logs, then runs after-write listeners with the captured page', async () => {
    const seen: string[] = [];
    onAfterWrite((e) => void seen.push(`${e.captured?.key}:${e.tables.join(',')}`));
    const r = await logPageContext(thread());
    expect(r.added).toBe(3);
    expect(seen).toContain('thread-abc:activities,contacts');
  });

  it('says "queued" when a CRM is connected', async () => {
    await db.credentials.put({ providerId: 'hubspot', kind: 'token', secret: 'x', connectedAt: 1 });
    expect((await logPageContext(thread())).state).toBe('queued');
  });

  it('pushes the side panel’s receipt to the tab it logged, so the in-page button agrees', async () => {
    await setTabContext(TAB, thread());
    const route = createRouter(handlers, { extensionId: fakeBrowser.runtime.id });
    const res = await route({ tl: 1, name: 'logPage', request: { tabId: TAB } }, { id: fakeBrowser.runtime.id });
    expect(res).toMatchObject({ ok: true, value: { added: 3 } });
    expect(pushed.map((p) => p.tabId)).toEqual([TAB]);
    expect(events()).toEqual([expect.objectContaining({ event: 'receipt', receipt: expect.objectContaining({ key: 'gmail:thread-abc:', added: 3 }) })]);
  });

  it('does not push when the content script logged its own tab: it already has the answer', async () => {
    const route = createRouter(handlers, { extensionId: fakeBrowser.runtime.id });
    await route({ tl: 1, name: 'logPage', request: { context: thread() } }, { id: fakeBrowser.runtime.id, tab: { id: TAB } });
    expect(pushed).toEqual([]);
  });

  it('a push that fails never fails the log', async () => {
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation(() => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    await setTabContext(TAB, thread());
    expect((await handlers.logPage({ tabId: TAB }, { id: fakeBrowser.runtime.id })).added).toBe(3);
  });
});

describe('acknowledgePreview', () => {
  it('records that the rep saw the preview, and the next preview says so', async () => {
    expect((await handlers.previewPage({ context: thread() }, { id: fakeBrowser.runtime.id, tab: { id: TAB } })).acknowledged).toBe(false);
    await handlers.acknowledgePreview({}, { id: fakeBrowser.runtime.id, tab: { id: TAB } });
    expect((await getSettings()).previewAcknowledged).toBe(true);
    expect((await handlers.previewPage({ context: thread() }, { id: fakeBrowser.runtime.id, tab: { id: TAB } })).acknowledged).toBe(true);
  });
});

describe('the keyboard command', () => {
  it('asks the page to show the preview first when it was never confirmed, and writes nothing', async () => {
    await setTabContext(TAB, thread());
    await logTabFromCommand(TAB);
    expect(events()).toEqual([{ event: 'confirmLog' }]);
    expect(await db.activities.count()).toBe(0);
  });

  it('logs the tab’s page and pushes the receipt once the preview was confirmed', async () => {
    await saveSettings({ previewAcknowledged: true });
    await setTabContext(TAB, thread());
    await logTabFromCommand(TAB);
    expect(events()).toEqual([expect.objectContaining({ event: 'receipt', receipt: expect.objectContaining({ added: 3, state: 'logged' }) })]);
    await logTabFromCommand(TAB);
    expect(events()[1]).toEqual(expect.objectContaining({ receipt: expect.objectContaining({ added: 0, existing: 3 }) }));
  });

  it('tells the page when there is nothing to log', async () => {
    await logTabFromCommand(TAB);
    expect(events()).toEqual([{ event: 'error', message: expect.stringMatching(/Nothing to log/) }]);
  });

  it('pushes the reason when the log fails', async () => {
    await saveSettings({ previewAcknowledged: true });
    await setTabContext(TAB, thread());
    const hook = () => {
      throw new Error('disk full');
    };
    db.activities.hook('creating', hook);
    try {
      await logTabFromCommand(TAB);
    } finally {
      db.activities.hook('creating').unsubscribe(hook);
    }
    expect(events()).toEqual([{ event: 'error', message: expect.any(String) }]);
    expect(await db.contacts.count()).toBe(0);
  });
});
