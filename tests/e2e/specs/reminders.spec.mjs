export const title = 'a task due in 2 s → real alarm → real notification + badge; Done from the notification closes it in IndexedDB';

const TASK_ID = 'e2e-reminder-task';
const CONTACT_ID = 'e2e-reminder-contact';
const SOURCE_URL = 'https://mail.google.com/mail/u/0/#inbox/e2e-reminder';

/**
 * An extension page writes a task the way lib/db/mutations `createTask` does (the task row and
 * its outbox row in one transaction), then sends the real `storeChanged` message the side
 * panel sends after every write. Everything after that is product code: the after-write hook,
 * alarm reconciliation, the alarm firing, the notification, the badge, and the Done button's
 * handler (through `notificationAction`, which the onButtonClicked listener also calls:
 * Chrome gives no way to press a notification button programmatically).
 * No test-only path exists in the extension.
 */
export default async function (h) {
  const page = await h.newPage(h.extUrl('options.html'));

  // Install has run ensureDefaults: the settings row exists.
  await h.waitFor(async () => (await h.dbRows('settings')).length > 0, { message: 'default settings after install' });

  const now = Date.now();
  const dueAt = now + 2_000;
  await page.evaluate(
    ({ TASK_ID, CONTACT_ID, SOURCE_URL, now, dueAt }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('threadline');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const idb = open.result;
          const tx = idb.transaction(['settings', 'contacts', 'tasks', 'outbox'], 'readwrite');
          const settings = tx.objectStore('settings');
          const get = settings.get('settings');
          get.onsuccess = () => {
            const row = get.result;
            // Whatever the machine's clock and zone say, reminders may fire now.
            row.value.reminders = { ...row.value.reminders, quietHours: null, workingDays: [0, 1, 2, 3, 4, 5, 6] };
            settings.put(row);
          };
          tx.objectStore('contacts').put({
            id: CONTACT_ID,
            emails: ['ana@acme-e2e.com'],
            name: 'Ana Costa',
            status: 'active',
            lifecycleStage: 'lead',
            source: { origin: 'manual' },
            createdAt: now,
            updatedAt: now,
            remoteIds: {},
            terms: ['ana', 'costa', 'ana@acme-e2e.com', 'acme-e2e.com'],
          });
          tx.objectStore('tasks').put({
            id: TASK_ID,
            kind: 'follow_up',
            title: 'Call Ana about pricing',
            dueAt,
            status: 'open',
            contactId: CONTACT_ID,
            sourceUrl: SOURCE_URL,
            createdAt: now,
            updatedAt: now,
            remoteIds: {},
          });
          tx.objectStore('outbox').add({ entity: 'task', entityId: TASK_ID, op: 'upsert', at: now });
          tx.oncomplete = () => {
            idb.close();
            resolve(true);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { TASK_ID, CONTACT_ID, SOURCE_URL, now, dueAt },
  );

  const changed = await h.send('storeChanged', { tables: ['tasks', 'contacts', 'settings'] }, page);
  h.assert(changed?.ok === true, `storeChanged failed: ${JSON.stringify(changed)}`);

  // 1. Reconcile gave the task its alarm at the due time.
  const alarm = await h.waitFor(
    () => h.sw.evaluate(async (name) => (await chrome.alarms.getAll()).find((a) => a.name === name) ?? null, `task:${TASK_ID}`),
    { timeout: 5_000, message: `alarm task:${TASK_ID}` },
  );
  h.log('alarm', alarm);
  h.assert(Math.abs(alarm.scheduledTime - dueAt) <= 1_000, `alarm at ${alarm.scheduledTime}, task due at ${dueAt}`);
  h.assert((await h.sw.evaluate(() => chrome.action.getBadgeText({}))) === '', 'nothing is due yet: the badge should be empty');

  // 2. The alarm fires (~2 s) and a real notification appears, with the badge count.
  const notificationId = `task:${TASK_ID}`;
  await h.waitFor(async () => (await h.sw.evaluate(() => chrome.notifications.getAll()))[notificationId], {
    timeout: 15_000,
    message: `notification ${notificationId} in chrome.notifications.getAll()`,
  });
  const firedAfter = Date.now() - now;
  h.log(`notification shown ${firedAfter} ms after the task was written`);
  h.assert(firedAfter >= 1_500, `notified too early (${firedAfter} ms): the alarm should wait for the due time`);
  const badge = await h.waitFor(async () => {
    const t = await h.sw.evaluate(() => chrome.action.getBadgeText({}));
    return t === '1' ? t : null;
  }, { timeout: 5_000, message: 'badge text "1"' });
  h.assert(badge === '1', `badge: ${badge}`);
  const notified = (await h.dbRows('tasks')).find((t) => t.id === TASK_ID);
  h.assert(notified?.notifiedAt >= dueAt - 1_000, `notifiedAt not recorded: ${JSON.stringify(notified)}`);

  // 3. Done (button 0), through the same handler the onButtonClicked listener calls.
  const done = await h.send('notificationAction', { notificationId, buttonIndex: 0 }, page);
  h.assert(done?.ok === true, `notificationAction failed: ${JSON.stringify(done)}`);
  const closed = await h.waitFor(async () => {
    const t = (await h.dbRows('tasks')).find((x) => x.id === TASK_ID);
    return t?.status === 'done' ? t : null;
  }, { timeout: 5_000, message: 'task status "done" in IndexedDB' });
  h.assert(typeof closed.completedAt === 'number', 'completedAt missing');
  const timeline = await h.dbRows('timeline');
  h.assert(timeline.some((l) => l.contactId === CONTACT_ID && l.kind === 'task_done'), 'Done should leave a task_done entry on the contact timeline');

  await h.waitFor(async () => !(await h.sw.evaluate(() => chrome.notifications.getAll()))[notificationId], {
    timeout: 5_000,
    message: 'the notification to close',
  });
  await h.waitFor(async () => (await h.sw.evaluate(() => chrome.action.getBadgeText({}))) === '', { timeout: 5_000, message: 'an empty badge after Done' });
  const alarms = await h.sw.evaluate(() => chrome.alarms.getAll());
  h.assert(!alarms.some((a) => a.name === notificationId), 'a closed task keeps no alarm');
  h.assert(alarms.some((a) => a.name === 'nudges' && a.periodInMinutes === 30), `periodic nudge alarm missing: ${JSON.stringify(alarms)}`);
}
