import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ax } from '../lib/ax.mjs';
import { proxyTo } from '../lib/extra-hosts.mjs';
import { importTs } from '../../harness/ts-module.mjs';

export const title = 'the real MV3 service worker stopped by CDP during capture, reminder scheduling and a HubSpot push: nothing lost, nothing twice';

/**
 * tests/reliability stops a simulated worker at every IndexedDB step on fake-indexeddb. This spec
 * stops the real one, in Chromium, the way Chrome's idle timeout does: DevTools'
 * `ServiceWorker.stopWorker` on the extension's worker version (the worker thread is terminated,
 * its uncommitted IndexedDB transactions abort, its sockets close). Each stop is checked: the
 * DevTools protocol reports the version `stopped`, and the worker that answers afterwards has a
 * new `performance.timeOrigin` (a new global, not the old one paused). What wakes it again is
 * what wakes it for a user: the in-page button's message, an alarm, the options page.
 *
 * Every outcome is read back from IndexedDB through the restarted worker, and from the fake
 * HubSpot (tests/fakes/hubspot) served as https://api.hubapi.com, as in sync.spec.mjs.
 */
export const hosts = ['api.hubapi.com'];
export const grantOptionalHosts = ['https://api.hubapi.com/*'];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TOKEN = 'pat-na1-7d2f4b10-0c8e-4a57-b3e1-9f6a2c5d8e31';
const SELF = 'rep@acme-sales.com';
const DEMO = 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQbfxyzDemoThread';
const FOUNDATION = 'https://mail.google.com/mail/u/0/?fixture=foundation#inbox/18bcd1f0a2e4c701';
const NOTES = 30;
/** A slow CRM: each write is held this long before HubSpot applies it, and the stops land while a write's answer is outstanding. */
const WRITE_DELAY_MS = 250;
/** The HubSpot writes (object batches and association batches, counted across runs) after which the worker is stopped. */
const KILL_AT_WRITES = [2, 7];
const isWrite = (r) => r.method === 'POST' && /^\/crm\/(v3\/objects\/\w+\/batch\/(upsert|update|archive)|v4\/associations\/)/.test(r.path);

export default async function (h) {
  const figures = { kills: 0, capture: {}, reminders: {}, sync: {} };
  // The DevTools session and the spec's own messages live on a page with no script of its own (the
  // manifest, in the extension's origin), so nothing but what a step names wakes a stopped worker:
  // the options page polls the background every 3 s and is open only while it is used.
  const control = await h.newPage(h.extUrl('manifest.json'));
  const worker = await workerControl(h, control, figures);

  // First-run setup, so captures and reminders run as for a set-up user.
  const setup = await h.newPage(h.extUrl('options.html'));
  setup.setDefaultTimeout(10_000);
  await setup.getByRole('heading', { name: 'Welcome to Threadline' }).waitFor();
  await setup.getByLabel('Your work email').fill(SELF);
  await setup.getByRole('button', { name: 'Start using Threadline' }).click();
  await setup.getByRole('region', { name: 'CRM connection' }).waitFor();
  // Ours, and the one the install opened.
  for (const p of h.context.pages()) if (p.url().startsWith(h.extUrl('options.html'))) await p.close();

  await capture(h, worker, control, figures.capture);
  await reminders(h, worker, control, figures.reminders);
  await sync(h, worker, control, figures.sync);

  figures.lost = figures.capture.lost + figures.reminders.lostNotifications + figures.reminders.lostAlarms + figures.sync.lost;
  figures.duplicated = figures.capture.duplicated + figures.reminders.doubleNotified + figures.sync.duplicated;
  h.assert(figures.lost === 0 && figures.duplicated === 0, `lost ${figures.lost}, duplicated ${figures.duplicated}`);
  h.log(`[worker-death e2e] ${JSON.stringify(figures)}`);
  console.log(`    [worker-death e2e] ${JSON.stringify(figures)}`);
}

/**
 * Stops and watches the extension's service worker through a DevTools session on an extension
 * page (the ServiceWorker domain sees the extension origin's registrations from there).
 */
async function workerControl(h, page, figures) {
  const cdp = await h.context.newCDPSession(page);
  const scriptUrl = h.extUrl('background.js');
  let version = null;
  const changes = [];
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) {
      if (v.scriptURL !== scriptUrl) continue;
      version = v;
      changes.push({ status: v.runningStatus, at: Date.now() });
    }
  });
  await cdp.send('ServiceWorker.enable');
  // Running now, whatever the install left: a message starts it if it was stopped.
  await page.evaluate(() => chrome.runtime.sendMessage({ tl: 1, name: 'ping', request: {} }));
  await h.waitFor(() => version?.runningStatus === 'running', { message: 'DevTools to report the extension worker running' });

  const origin = () => h.sw.evaluate(() => performance.timeOrigin);
  let lastOrigin = await origin();
  let stoppedAt = changes.length;

  return {
    /** Stops the worker now; resolves once DevTools reports it stopped. */
    async kill(why) {
      const from = changes.length;
      await cdp.send('ServiceWorker.stopWorker', { versionId: version.versionId });
      await h.waitFor(() => changes.slice(from).some((c) => c.status === 'stopped'), { timeout: 5_000, message: `the worker to stop (${why})` });
      stoppedAt = changes.length;
      figures.kills++;
      h.log(`worker stopped: ${why}`);
    },
    /**
     * Waits until a worker runs again (something else woke it) and proves it is a new one; returns
     * when DevTools first reported it starting (this process's clock, like the spec's due times).
     */
    async restarted(why) {
      await h.waitFor(() => version?.runningStatus === 'running', { timeout: 10_000, message: `a new worker to start (${why})` });
      const startedAt = changes.slice(stoppedAt).find((c) => c.status === 'starting' || c.status === 'running')?.at;
      const now = await h.waitFor(async () => {
        const o = await origin();
        return typeof o === 'number' && o > lastOrigin ? o : null;
      }, { timeout: 5_000, message: `the worker to have a new timeOrigin after ${why}` });
      h.log(`new worker (${why}): ${changes.slice(stoppedAt - 2).map((c) => `${c.status}@${c.at % 100_000}`).join(' ')}`);
      lastOrigin = now;
      return startedAt;
    },
    /** Wakes the worker as an extension page does, with a message. */
    async wake(why) {
      const answer = await page.evaluate(() => chrome.runtime.sendMessage({ tl: 1, name: 'ping', request: {} }));
      h.assert(answer?.ok === true, `ping after ${why}: ${JSON.stringify(answer)}`);
      await this.restarted(why);
    },
  };
}

/** Store-wide invariants after a stop: no half-written capture. */
async function orphans(h) {
  const [activities, timeline, contacts, outbox] = await Promise.all(['activities', 'timeline', 'contacts', 'outbox'].map((s) => h.dbRows(s)));
  const ids = new Set(activities.map((a) => a.id));
  const people = new Set(contacts.map((c) => c.id));
  const linked = new Set(timeline.map((t) => t.contactId));
  const queued = new Set(outbox.map((o) => `${o.entity}:${o.entityId}`));
  return {
    timelineWithoutActivity: timeline.filter((t) => t.activityId && !ids.has(t.activityId)).length,
    activityWithoutTimeline: activities.filter((a) => a.contactIds.some((c) => !timeline.some((t) => t.activityId === a.id && t.contactId === c))).length,
    activityNamingMissingContact: activities.filter((a) => a.contactIds.some((c) => !people.has(c))).length,
    contactWithoutActivity: contacts.filter((c) => !linked.has(c.id)).length,
    unqueued: [...activities.map((a) => `activity:${a.id}`), ...contacts.map((c) => `contact:${c.id}`)].filter((k) => !queued.has(k)).length,
  };
}

async function capture(h, worker, control, out) {
  const statusOf = (a, button) => a.call(button, 'function () { return this.parentNode.querySelector("[role=status]").textContent; }');
  const open = async (url) => {
    const page = await h.newPage(url);
    const tabId = await h.tabIdOf(page);
    const ctx = await h.waitFor(() => h.sw.evaluate(async (key) => (await chrome.storage.session.get(key))[key] ?? null, `tab:${tabId}`), { message: `the pageContext of ${url}` });
    const a = await ax(page);
    const button = await h.waitFor(() => a.find('button', 'Log to Threadline'), { message: `the in-page Log button on ${url}` });
    // What one clean log stores, as the preview lists it (read-only).
    const preview = await h.send('previewPage', { tabId }, control);
    h.assert(preview?.ok === true && preview.value.activities.length > 0, `previewPage for ${url}: ${JSON.stringify(preview)?.slice(0, 200)}`);
    return { page, tabId, ctx, a, button, expected: preview.value.activities.length, status: () => statusOf(a, button) };
  };
  const rowsOf = async (ctx) => (await h.dbRows('activities')).filter((r) => r.externalKey?.startsWith(`${ctx.site}:${ctx.key}:`));

  // 1. The first log of all (the preview, then Confirm), and the worker stopped right after the click.
  const demo = await open(DEMO);
  await demo.a.click(demo.button);
  await demo.a.click(await h.waitFor(() => demo.a.find('button', 'Confirm and log'), { message: 'the first-run preview' }));
  await worker.kill('right after "Confirm and log"');
  // The page hears that its request died with the worker (or, if the capture won the race, its receipt).
  out.firstLogAnswer = await h.waitFor(async () => {
    const s = await demo.status();
    return /^Failed|: \d+ new/.test(s) ? s : null;
  }, { message: `the in-page status after the stop (it says "${await demo.status().catch(() => '?')}")` });
  // A stopped worker needs no reload: the rep is told to try again (lib/messaging/client.ts).
  h.assert(!/^Failed/.test(out.firstLogAnswer) || out.firstLogAnswer === 'Failed: Threadline’s background stopped before it answered. Try again.', `after the stop the page said "${out.firstLogAnswer}"`);
  // What the stop left: all of the capture or none of it (one transaction).
  await demo.a.click(demo.button);
  await worker.restarted('the in-page button after the stop');
  // A receipt that came before the stop stays on screen until the second log's own replaces it.
  // If the stop came before the preview's acknowledgement was stored, the preview comes back: confirm it again.
  const isSecond = (s) => /: \d+ new/.test(s) && s !== out.firstLogAnswer;
  await h.waitFor(async () => {
    if (isSecond(await demo.status())) return true;
    const again = await demo.a.find('button', 'Confirm and log');
    if (again) {
      out.previewShownAgain = true;
      await demo.a.click(again);
    }
    return false;
  }, { interval: 250, message: 'the second log of the demo thread' });
  const receipt = await demo.status();
  const [, added, existing = '0'] = /: (\d+) new(?:, (\d+) already logged)?/.exec(receipt);
  out.firstLogCommittedBeforeStop = Number(existing) > 0;
  const demoRows = await rowsOf(demo.ctx);
  h.log(`demo thread after the stop and a second log: "${receipt}"`);
  h.assert(Number(added) === 0 || Number(existing) === 0, `the stop left part of a capture: "${receipt}"`);
  h.assert(demoRows.length === demo.expected && demoRows.length === Number(added) + Number(existing), `demo thread: ${demoRows.length} activities, ${demo.expected} expected (receipt "${receipt}")`);

  // 2. Between two logs: a thread logged, the worker stopped, then that thread and the first one logged again.
  const dana = await open(FOUNDATION);
  await dana.a.click(dana.button);
  const first = await h.waitFor(async () => {
    const s = await dana.status();
    return /: [1-9]\d* new/.test(s) ? s : null;
  }, { message: 'the foundation thread’s receipt' });
  await worker.kill('between two logs');
  await dana.a.click(dana.button);
  await worker.restarted('the in-page button after the stop');
  const second = await h.waitFor(async () => {
    const s = await dana.status();
    return /: 0 new/.test(s) ? s : null;
  }, { message: `"0 new" after the stop (status: "${await dana.status().catch(() => '?')}")` });
  // The first thread once more, from an extension page as the side panel logs it (its answer, unlike the in-page text, cannot be an earlier one).
  const third = await h.send('logPage', { tabId: demo.tabId }, control);
  h.assert(third?.ok === true && third.value.added === 0 && third.value.existing === demo.expected, `the demo thread logged again: ${JSON.stringify(third)?.slice(0, 200)}`);
  h.log(`foundation thread: "${first}", then after the stop "${second}"`);

  const all = await h.dbRows('activities');
  const keys = all.map((r) => r.externalKey);
  const messages = demo.expected + dana.expected;
  out.messages = messages;
  out.activities = all.length;
  out.duplicated = keys.length - new Set(keys).size;
  out.lost = Math.max(0, messages - new Set(keys).size);
  const o = await orphans(h);
  out.orphans = Object.values(o).reduce((n, v) => n + v, 0);
  h.assert(out.duplicated === 0 && out.lost === 0 && all.length === messages, `capture: ${all.length} activities for ${messages} messages, ${out.duplicated} duplicated`);
  h.assert(out.orphans === 0, `capture left orphans: ${JSON.stringify(o)}`);
  for (const p of [demo, dana]) {
    await p.a.detach();
    await p.page.close();
  }
}

async function reminders(h, worker, page, out) {
  const now = Date.now();
  const soonTask = { id: 'wd-task-soon', title: 'Call Dana back', dueAt: now + 3_000 };
  const laterTask = { id: 'wd-task-later', title: 'Send Dana the proposal', dueAt: now + 3_600_000 };
  const contactId = (await h.dbRows('contacts'))[0].id;
  // Written as lib/db/mutations createTask writes (task and outbox row in one transaction), as reminders.spec.mjs does.
  await page.evaluate(
    ({ tasks, contactId, now }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('threadline');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const idb = open.result;
          const tx = idb.transaction(['settings', 'tasks', 'outbox'], 'readwrite');
          const settings = tx.objectStore('settings');
          const get = settings.get('settings');
          get.onsuccess = () => {
            const row = get.result;
            // Whatever the machine's clock and zone say, reminders may fire now.
            row.value.reminders = { ...row.value.reminders, quietHours: null, workingDays: [0, 1, 2, 3, 4, 5, 6] };
            settings.put(row);
          };
          for (const t of tasks) {
            tx.objectStore('tasks').put({ ...t, kind: 'follow_up', status: 'open', contactId, createdAt: now, updatedAt: now, remoteIds: {} });
            tx.objectStore('outbox').add({ entity: 'task', entityId: t.id, op: 'upsert', at: now });
          }
          tx.oncomplete = () => {
            idb.close();
            resolve(true);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { tasks: [soonTask, laterTask], contactId, now },
  );
  h.assert((await h.send('storeChanged', { tables: ['tasks', 'settings'] }, page))?.ok === true, 'storeChanged was refused');
  const taskAlarms = async () => Object.fromEntries((await h.sw.evaluate(() => chrome.alarms.getAll())).filter((a) => a.name.startsWith('task:')).map((a) => [a.name, a.scheduledTime]));
  await h.waitFor(async () => {
    const a = await taskAlarms();
    return a[`task:${soonTask.id}`] && a[`task:${laterTask.id}`];
  }, { timeout: 5_000, message: 'both tasks’ alarms' });

  // 1. Stopped before the reminder is due: the alarm itself must start a new worker, which notifies once.
  await worker.kill('a reminder scheduled, 3 s before it is due');
  const notificationId = `task:${soonTask.id}`;
  // No page is open that would message the worker: what starts the next one is the alarm.
  const startedAt = await worker.restarted('the reminder’s alarm');
  out.workerStartedAfterDueMs = Math.round(startedAt - soonTask.dueAt);
  h.assert(startedAt >= soonTask.dueAt - 250, `a worker started ${-out.workerStartedAfterDueMs} ms before the reminder was due: something other than its alarm woke it`);
  await h.waitFor(async () => (await h.sw.evaluate(() => chrome.notifications.getAll()))[notificationId], { timeout: 10_000, message: `notification ${notificationId}` });
  const firedAfter = Date.now() - now;
  h.assert(firedAfter >= 2_500, `notified ${firedAfter} ms after writing: before the due time`);
  // The badge counts every open task that is due (a capture's no-reply nudges too).
  const due = (await h.dbRows('tasks')).filter((t) => t.status === 'open' && t.dueAt <= Date.now()).length;
  const badge = await h.waitFor(async () => ((await h.sw.evaluate(() => chrome.action.getBadgeText({}))) === String(due) ? String(due) : null), {
    message: `badge "${due}" (it says "${await h.sw.evaluate(() => chrome.action.getBadgeText({})).catch(() => '?')}")`,
  });
  const claimed = (await h.dbRows('tasks')).find((t) => t.id === soonTask.id).notifiedAt;
  h.assert(claimed >= soonTask.dueAt - 1_000, `notifiedAt: ${claimed}`);

  // 2. The rep dismisses it; a stop and two wake-ups (a message, then a reconcile after a write) must not show it again.
  await h.sw.evaluate((id) => chrome.notifications.clear(id), notificationId);
  await worker.kill('after the reminder was shown and dismissed');
  await worker.wake('a message after the dismissed reminder');
  h.assert((await h.send('storeChanged', { tables: ['tasks'] }, page))?.ok === true, 'storeChanged was refused');
  const shown = Object.keys(await h.sw.evaluate(() => chrome.notifications.getAll()));
  const tasks = await h.dbRows('tasks');
  out.doubleNotified = shown.includes(notificationId) || tasks.find((t) => t.id === soonTask.id).notifiedAt !== claimed ? 1 : 0;
  out.lostNotifications = claimed ? 0 : 1;

  // 3. The alarms after the restarts follow the task table: the later task keeps its alarm at its due time; the notified one has none.
  const alarms = await taskAlarms();
  const open = tasks.filter((t) => t.status === 'open' && !t.notifiedAt);
  out.lostAlarms = open.filter((t) => Math.abs((alarms[`task:${t.id}`] ?? -1e12) - t.dueAt) > 1_000).length;
  out.extraAlarms = Object.keys(alarms).filter((n) => !open.some((t) => `task:${t.id}` === n)).length;
  out.badge = badge;
  out.notifiedAfterMs = firedAfter;
  h.assert(out.doubleNotified === 0, `the dismissed reminder came back: ${JSON.stringify(shown)}`);
  h.assert(out.lostAlarms === 0 && out.extraAlarms === 0, `task alarms ${JSON.stringify(alarms)} do not match the open tasks ${JSON.stringify(open.map((t) => [t.id, t.dueAt]))}`);
}

async function sync(h, worker, control, out) {
  const { startHubSpotFake } = await importTs(root, 'tests/fakes/hubspot/server.ts');
  const fake = await startHubSpotFake({ token: TOKEN });
  const writes = { received: 0, applied: 0, kills: [] };
  h.serveHost(
    'api.hubapi.com',
    proxyTo(fake.url, async (req, forward) => {
      if (!isWrite(req)) return forward();
      const n = ++writes.received;
      await new Promise((r) => setTimeout(r, WRITE_DELAY_MS));
      const answer = await forward();
      writes.applied++;
      // HubSpot applied this write; the worker stops before the answer reaches it.
      if (KILL_AT_WRITES.includes(n)) {
        const at = { write: n, path: req.path, inFlight: writes.received - writes.applied };
        await worker.kill(`HubSpot applied write #${n} (${req.path}), its answer not yet read, ${at.inFlight} more in flight`);
        writes.kills.push(at);
      }
      return answer;
    }),
  );
  const only = (map) => [...map.values()].filter((r) => !r.archived);

  try {
    // Notes on Dana's timeline, as the side panel's Add note writes them (activity, timeline link, outbox row).
    const dana = (await h.dbRows('contacts')).find((c) => c.emails.includes('dana@northwind-labs.com'));
    await control.evaluate(
      ({ contactId, n, now }) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('threadline');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const idb = open.result;
            const tx = idb.transaction(['activities', 'timeline', 'outbox'], 'readwrite');
            for (let i = 0; i < n; i++) {
              const id = crypto.randomUUID();
              const at = now - (n - i) * 60_000;
              tx.objectStore('activities').add({ id, kind: 'note', occurredAt: at, contactIds: [contactId], subject: `Note ${i + 1}`, body: `Note ${i + 1}: call notes`, direction: 'internal', participants: [], remoteIds: {}, createdAt: now });
              tx.objectStore('timeline').add({ activityId: id, contactId, occurredAt: at, kind: 'note' });
              tx.objectStore('outbox').add({ entity: 'activity', entityId: id, op: 'upsert', at: now });
            }
            tx.oncomplete = () => {
              idb.close();
              resolve(true);
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      { contactId: dana.id, n: NOTES, now: Date.now() },
    );
    const local = async () => ({
      contacts: await h.dbRows('contacts'),
      companies: await h.dbRows('companies'),
      activities: await h.dbRows('activities'),
      tasks: await h.dbRows('tasks'),
    });
    const before = await local();
    out.records = Object.values(before).reduce((n, rows) => n + rows.length, 0);

    // Connecting starts the first sync, which pushes every record above. The worker is stopped
    // twice: after HubSpot applied the 2nd write of that run, and again in the run that resumes it.
    const options = await h.newPage(h.extUrl('options.html'));
    options.setDefaultTimeout(10_000);
    const crm = options.getByRole('region', { name: 'CRM connection' });
    await crm.getByLabel('Private app access token').fill(TOKEN);
    await crm.getByRole('button', { name: 'Connect HubSpot' }).click();
    await crm.getByText('Connected', { exact: true }).waitFor();
    let lastRunAt = 0;
    for (const [i, write] of KILL_AT_WRITES.entries()) {
      await h.waitFor(() => writes.kills.length > i, { timeout: 15_000, message: `the sync to reach HubSpot write #${write}` });
      // Requests the dead worker had sent still land; wait until none is left in flight.
      await h.waitFor(() => writes.applied === writes.received, { message: 'the dead worker’s requests to settle at HubSpot' });
      const held = countAll();
      // The first stop must land mid-push: some records in HubSpot, not all.
      if (i === 0) h.assert(held > 0 && held < out.records, `the first stop did not land mid-push: HubSpot holds ${held} records of ${out.records}`);
      writes.kills[i].heldByHubSpot = held;
      // The rep clicks Sync now: its message starts a new worker, which resumes the push.
      lastRunAt = (await h.send('syncStatus', {}, options)).value.lastRunAt ?? 0;
      await crm.getByRole('button', { name: 'Sync now' }).click();
      await worker.restarted(`"Sync now" after stop ${i + 1}`);
    }
    await h.waitFor(async () => (await h.dbRows('outbox')).length === 0, { timeout: 20_000, message: 'the outbox to empty after the restarts' });
    const st = await h.waitFor(async () => {
      const s = (await h.send('syncStatus', {}, options)).value;
      return s.lastRunAt > lastRunAt && !s.running ? s : null;
    }, { message: 'the resumed sync to finish' });
    out.stops = writes.kills;
    h.log('stops mid-push', writes.kills, 'status', { queue: st.queue, lastError: st.lastError, pushed: st.pushed });

    const after = await local();
    const tally = (rows, remote, key) => {
      let lost = 0;
      let dup = 0;
      for (const r of rows) {
        const matches = remote.filter((x) => x.properties[key.remote] === key.local(r));
        if (matches.length === 0 || r.remoteIds?.hubspot !== matches[0].id) lost++;
        dup += Math.max(0, matches.length - 1);
      }
      return { lost, dup, extra: remote.filter((x) => !rows.some((r) => key.local(r) === x.properties[key.remote])).length };
    };
    const byId = { remote: 'threadline_id', local: (r) => r.id };
    const parts = {
      contacts: tally(after.contacts, only(fake.objects.contacts), { remote: 'email', local: (r) => r.emails[0] }),
      companies: tally(after.companies, only(fake.objects.companies), byId),
      emails: tally(after.activities.filter((a) => a.kind === 'email'), only(fake.objects.emails), byId),
      notes: tally(after.activities.filter((a) => a.kind === 'note'), only(fake.objects.notes), byId),
      tasks: tally(after.tasks, only(fake.objects.tasks), byId),
    };
    out.lost = Object.values(parts).reduce((n, p) => n + p.lost, 0);
    out.duplicated = Object.values(parts).reduce((n, p) => n + p.dup + p.extra, 0);
    out.creates = fake.creates;
    out.outboxLeft = (await h.dbRows('outbox')).length;
    out.writes = writes.received;
    h.assert(out.records === Object.values(after).reduce((n, rows) => n + rows.length, 0), 'the local store changed size during the sync');
    h.assert(out.lost === 0 && out.duplicated === 0 && fake.creates === out.records, `HubSpot after the stop: ${JSON.stringify(parts)}, ${fake.creates} creates for ${out.records} records`);
    h.assert(only(fake.objects.notes).length === NOTES, `HubSpot holds ${only(fake.objects.notes).length} notes`);
    const linked = only(fake.objects.notes).filter((n) => [...fake.associations].some((a) => a.startsWith(`notes:${n.id}->contacts:`))).length;
    h.assert(linked === NOTES, `${NOTES - linked} notes are not linked to Dana in HubSpot`);
    h.assert(out.outboxLeft === 0, `${out.outboxLeft} outbox rows left`);
  } finally {
    await fake.close();
  }

  function countAll() {
    return Object.values(fake.objects).reduce((n, m) => n + m.size, 0);
  }
}
