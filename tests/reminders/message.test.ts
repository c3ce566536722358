import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handlers } from '@/lib/background/handlers';
import { db } from '@/lib/db';
import { createTask, ensureDefaults } from '@/lib/db/mutations';
import { createRouter } from '@/lib/messaging/router';
import { anyTimeSettings } from './helpers';

const msg = (request: unknown) => ({ tl: 1, name: 'notificationAction', request });

describe('notificationAction message', () => {
  beforeEach(async () => {
    await ensureDefaults();
    await anyTimeSettings();
  });

  it('from an extension page presses the notification button like the real listener', async () => {
    const t = await createTask({ kind: 'follow_up', title: 'x', dueAt: Date.now() - 1000 });
    const route = createRouter(handlers, { extensionId: fakeBrowser.runtime.id });
    const res = await route(msg({ notificationId: `task:${t.id}`, buttonIndex: 0 }), { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/sidepanel.html') });
    expect(res).toEqual({ ok: true, value: { ok: true } });
    expect((await db.tasks.get(t.id))?.status).toBe('done');
  });

  it('is refused from a content script (sender URL is the web page)', async () => {
    const t = await createTask({ kind: 'follow_up', title: 'x', dueAt: Date.now() - 1000 });
    const route = createRouter(handlers, { extensionId: fakeBrowser.runtime.id });
    const res = await route(msg({ notificationId: `task:${t.id}`, buttonIndex: 0 }), { id: fakeBrowser.runtime.id, url: 'https://mail.google.com/mail/u/0/', tab: { id: 3 } });
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect((await db.tasks.get(t.id))?.status).toBe('open');
  });

  it('rejects a button index a notification does not have', async () => {
    const route = createRouter(handlers, { extensionId: fakeBrowser.runtime.id });
    const res = await route(msg({ notificationId: 'task:x', buttonIndex: 2 }), { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/sidepanel.html') });
    expect(res).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
