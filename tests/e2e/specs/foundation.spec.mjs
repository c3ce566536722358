export const title = 'page → background → Dexie → side panel, and the router answers bad messages with typed errors';

const THREAD_URL = 'https://mail.google.com/mail/u/0/?fixture=foundation#inbox/18bcd1f0a2e4c701';
const DANA = 'dana@northwind-labs.com';

export default async function (h) {
  const mail = await h.newPage(THREAD_URL);
  h.assert((await mail.textContent('h2.hP'))?.includes('Northwind'), 'the fixture thread did not load');
  const tabId = await h.tabIdOf(mail);

  // 1. The content script detected the thread and the background stored its context for this tab.
  const ctx = await h.waitFor(
    () => h.sw.evaluate(async (key) => (await chrome.storage.session.get(key))[key] ?? null, `tab:${tabId}`),
    { timeout: 10_000, message: 'the content script to report a pageContext' },
  );
  h.log('pageContext', { site: ctx.site, view: ctx.view, key: ctx.key, people: ctx.people.map((p) => p.email) });
  h.assert(ctx.site === 'gmail' && ctx.view === 'thread', `expected a gmail thread, got ${ctx.site}/${ctx.view}`);
  h.assert(ctx.people.some((p) => p.email === DANA) || ctx.messages?.some((m) => m.from?.email === DANA), 'Dana is not among the detected people');

  // 2. The side panel, pinned to that tab, offers to log it; nothing is stored yet.
  const panel = await h.openPanel(tabId);
  const logButton = panel.getByRole('button', { name: /log this thread/i });
  await logButton.waitFor({ timeout: 10_000 });
  h.assert((await h.dbRows('activities')).length === 0, 'the store should start empty');
  await panel.evaluate(() => {
    window.__noReload = true;
  });

  // 3. One click: the background writes Dexie (contacts, activities, timeline links, outbox).
  await logButton.click();
  const activities = await h.waitFor(async () => {
    const rows = await h.dbRows('activities');
    return rows.length ? rows : null;
  }, { timeout: 20_000, message: 'activities in IndexedDB "threadline"' });
  const contacts = await h.dbRows('contacts');
  const dana = contacts.find((c) => c.emails.includes(DANA));
  h.assert(dana, `no contact for ${DANA}; contacts: ${contacts.map((c) => c.emails.join('/')).join(', ')}`);
  const danas = activities.filter((a) => a.contactIds.includes(dana.id));
  h.assert(danas.length > 0, 'no activity is linked to Dana');
  h.assert(activities.every((a) => a.kind === 'email' && a.externalKey?.startsWith(`gmail:${ctx.key}:`)), 'activities lack the page-scoped external key');
  const links = await h.dbRows('timeline');
  h.assert(danas.every((a) => links.some((l) => l.activityId === a.id && l.contactId === dana.id)), 'timeline links are missing');
  const outbox = await h.dbRows('outbox');
  h.assert(outbox.filter((o) => o.entity === 'activity').length === activities.length, 'every local activity write must append an outbox row');
  h.log(`stored ${contacts.length} contacts, ${activities.length} activities, ${outbox.length} outbox rows`);

  // 4. The panel shows the new rows through useLiveQuery, without a reload.
  await panel.waitForSelector(`[data-activity-id="${danas[0].id}"]`, { timeout: 20_000 });
  h.assert(await panel.evaluate(() => window.__noReload === true), 'the side panel reloaded instead of updating live');

  // 5. Logging again is idempotent: the external key makes the second log add nothing.
  const again = await h.send('logPage', { tabId }, panel);
  h.assert(again?.ok === true, `second logPage failed: ${JSON.stringify(again)}`);
  h.assert(again.value.added === 0 && again.value.existing === activities.length, `second log added rows: ${JSON.stringify(again.value)}`);
  h.assert((await h.dbRows('activities')).length === activities.length, 'the second log changed the store');

  // 6. The router answers, and answers bad input with typed errors instead of throwing.
  const ping = await h.send('ping', {}, panel);
  h.assert(ping?.ok === true && typeof ping.value.version === 'string', `ping: ${JSON.stringify(ping)}`);
  const expectError = async (raw, code, what) => {
    const res = await h.message(raw, panel);
    h.assert(res?.ok === false && res.error?.code === code && typeof res.error.message === 'string', `${what}: expected ${code}, got ${JSON.stringify(res)?.slice(0, 200)}`);
  };
  await expectError({ hello: 'world' }, 'bad_request', 'a message without the Threadline envelope');
  await expectError({ tl: 1, name: 'dropEverything', request: {} }, 'unknown_message', 'an unknown message name');
  await expectError({ tl: 1, name: 'lookupPeople', request: { emails: 'everyone' } }, 'bad_request', 'a malformed request');
  await expectError({ tl: 1, name: 'lookupPeople', request: { emails: [], pad: 'x'.repeat(600 * 1024) } }, 'too_large', 'an oversized request');

  // 7. A web page cannot reach the router at all: no externally_connectable, so no chrome.runtime there.
  const pageRuntime = await mail.evaluate(() => typeof globalThis.chrome?.runtime?.sendMessage);
  h.assert(pageRuntime === 'undefined', `the web page can address the extension (chrome.runtime.sendMessage is ${pageRuntime})`);
}
