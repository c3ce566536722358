import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handlers } from '@/lib/background/handlers';
import { getTabContext } from '@/lib/background/tab-context';
import { db } from '@/lib/db';
import { ensureDefaults, saveSettings } from '@/lib/db/mutations';
import { timelineOf } from '@/lib/db/queries';
import { createRouter } from '@/lib/messaging/router';

const thread = {
  site: 'gmail',
  view: 'thread',
  key: '18c2f0a1b2c3d4e5',
  url: 'https://mail.google.com/mail/u/0/#inbox/18c2f0a1b2c3d4e5',
  subject: 'Pilot pricing',
  people: [
    { email: 'me@seller.io', role: 'to', self: true },
    { email: 'ana@acme.io', name: 'Ana Lima', role: 'from' },
  ],
  messages: [
    { id: 'msg-f:1', from: { email: 'ana@acme.io', name: 'Ana Lima', role: 'from' }, to: [{ email: 'me@seller.io', role: 'to', self: true }], date: 1_700_000_000_000, snippet: 'Can we talk pricing?' },
  ],
};

describe('content script → background → Dexie', () => {
  it('stores the tab context, logs it, and the timeline query shows the row', async () => {
    await ensureDefaults();
    const route = createRouter(handlers, { extensionId: fakeBrowser.runtime.id });
    const sender = { id: fakeBrowser.runtime.id, tab: { id: 42, url: thread.url } };

    expect(await route({ tl: 1, name: 'pageContext', request: { context: thread } }, sender)).toEqual({ ok: true, value: { ok: true } });
    expect((await getTabContext(42))?.key).toBe(thread.key);

    // The side panel logs the tab it follows: no context in the request, only the tab id.
    const res = await route({ tl: 1, name: 'logPage', request: { tabId: 42 } }, { id: fakeBrowser.runtime.id });
    expect(res).toMatchObject({ ok: true, value: { added: 1, existing: 0, contactsCreated: 1, state: 'logged' } });
    expect(res.ok && res.value).toMatchObject({ skipped: [{ email: 'me@seller.io', reason: 'self' }] });

    const ana = await db.contacts.where('emails').equals('ana@acme.io').first();
    expect(ana).toMatchObject({ name: 'Ana Lima', source: { origin: 'capture', site: 'gmail' }, lastTouchedAt: 1_700_000_000_000 });
    expect((await timelineOf(ana!.id)).items).toEqual([expect.objectContaining({ kind: 'email', direction: 'inbound', subject: 'Pilot pricing', snippet: 'Can we talk pricing?' })]);

    const again = await route({ tl: 1, name: 'logPage', request: { tabId: 42 } }, { id: fakeBrowser.runtime.id });
    expect(again).toMatchObject({ ok: true, value: { added: 0, existing: 1, contactsCreated: 0 } });
  });

  it('holds a tab\'s message text only as far as the privacy level allows', async () => {
    await ensureDefaults();
    const route = createRouter(handlers, { extensionId: fakeBrowser.runtime.id });
    const sender = { id: fakeBrowser.runtime.id, tab: { id: 7, url: thread.url } };
    const withBody = { ...thread, messages: [{ ...thread.messages[0]!, body: 'Our budget is 40k, signed by Friday.' }] };

    await saveSettings({ privacy: 'metadata' });
    await route({ tl: 1, name: 'pageContext', request: { context: withBody } }, sender);
    const held = (await fakeBrowser.storage.session.get('tab:7'))['tab:7'] as typeof withBody;
    expect(held.messages[0]).not.toHaveProperty('snippet');
    expect(held.messages[0]).not.toHaveProperty('body');
    expect(held.subject).toBe('Pilot pricing');

    await saveSettings({ privacy: 'snippet' });
    await route({ tl: 1, name: 'pageContext', request: { context: withBody } }, sender);
    expect((await getTabContext(7))?.messages[0]).toMatchObject({ snippet: 'Can we talk pricing?' });
    expect((await getTabContext(7))?.messages[0]).not.toHaveProperty('body');

    await saveSettings({ privacy: 'body' });
    await route({ tl: 1, name: 'pageContext', request: { context: withBody } }, sender);
    expect((await getTabContext(7))?.messages[0]).toMatchObject({ body: 'Our budget is 40k, signed by Friday.' });
  });

  it('refuses a page context from outside a tab', async () => {
    const route = createRouter(handlers, { extensionId: fakeBrowser.runtime.id });
    expect(await route({ tl: 1, name: 'pageContext', request: { context: thread } }, { id: fakeBrowser.runtime.id })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
