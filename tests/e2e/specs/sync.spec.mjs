import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ax } from '../lib/ax.mjs';
import { proxyTo } from '../lib/extra-hosts.mjs';
import { importTs } from '../../harness/ts-module.mjs';

export const title = 'HubSpot sync: connect from the options page, log from Gmail, the fake HubSpot gets company, contact and email once with their links, status and badges say synced, a note survives 500s and 429s without a twin, disconnect';

/**
 * The fake HubSpot (tests/fakes/hubspot) answers as https://api.hubapi.com, the address the build
 * uses when the user leaves "API address" empty, so this is the path a real user takes.
 *
 * Connecting asks `permissions.request` for https://api.hubapi.com/*, an optional host permission.
 * For an origin not yet granted Chromium shows a prompt headless automation cannot answer, so the
 * runner loads a copy of the build whose manifest already holds that origin (`grantOptionalHosts`,
 * see tests/e2e/lib/extension-copy.mjs): the request then resolves true without a prompt, and the
 * product code is the build's, byte for byte. The spec records the request to prove it was made
 * from the click, for exactly that origin.
 */
export const hosts = ['api.hubapi.com'];
export const grantOptionalHosts = ['https://api.hubapi.com/*'];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TOKEN = 'pat-na1-3e0c9a57-e2e0-4d1f-9b7a-5c2f0e8d1a44';
const SELF = 'rep@acme-sales.com';
const LENA = 'lena.okafor@harbor-cold.com';
const SUBJECT = 'Cold-chain lanes for Q1';
const THREAD = 'https://mail.google.com/mail/u/0/?fixture=sync#inbox/18c2a7d94be0f311';
const NOTE = 'Asked for reefer capacity on the Rotterdam lane; quote due Friday.';

const json = (status, body) => ({ status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) });
/** A server error in HubSpot's error shape (as the fake sends), and HubSpot's documented 429 body for its per-second limit. */
const E500 = () => json(500, { status: 'error', message: 'internal error', correlationId: 'e2e-500', category: 'INTERNAL_ERROR' });
const E429 = () => json(429, { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: 'e2e-429', policyName: 'SECONDLY', requestId: 'e2e-429' });
const isWrite = (r) => r.method === 'POST' && /^\/crm\/(v3\/objects\/\w+\/batch\/(upsert|update|archive)|v4\/associations\/)/.test(r.path);

export default async function (h) {
  const { startHubSpotFake } = await importTs(root, 'tests/fakes/hubspot/server.ts');
  const fake = await startHubSpotFake({ token: TOKEN });
  /** While `on`, HubSpot's write endpoints fail: the first write is applied and then answered 500 (the ambiguous case), later ones get 429 and 500 in turn. Reads still work. */
  const outage = { on: false, faults: [] };
  const seen = [];
  h.serveHost(
    'api.hubapi.com',
    proxyTo(fake.url, async (req, forward) => {
      seen.push(`${req.method} ${req.path}`);
      if (!outage.on || !isWrite(req)) return forward();
      if (!outage.faults.length) {
        await forward();
        outage.faults.push({ path: req.path, answered: 500, applied: true });
        return E500();
      }
      const answered = outage.faults.length % 2 ? 429 : 500;
      outage.faults.push({ path: req.path, answered, applied: false });
      return answered === 429 ? E429() : E500();
    }),
  );
  const route = (r) => fake.byRoute.get(r) ?? 0;
  const only = (map) => [...map.values()].filter((r) => !r.archived);

  try {
    // 1. Options page: finish the first-run setup, then the CRM connection section.
    const options = await h.newPage();
    options.setDefaultTimeout(10_000);
    // Records what the page asks the browser for; the call still goes to Chromium unchanged.
    await options.addInitScript(() => {
      const original = chrome.permissions.request.bind(chrome.permissions);
      window.__permissionRequests = [];
      chrome.permissions.request = (perms, callback) => {
        const entry = { origins: perms?.origins ?? [], granted: undefined };
        window.__permissionRequests.push(entry);
        if (typeof callback === 'function') return original(perms, (granted) => callback((entry.granted = granted)));
        return original(perms).then((granted) => (entry.granted = granted));
      };
    });
    await options.goto(h.extUrl('options.html'));
    await options.getByRole('heading', { name: 'Welcome to Threadline' }).waitFor();
    await options.getByLabel('Your work email').fill(SELF);
    await options.getByRole('button', { name: 'Start using Threadline' }).click();
    const crm = options.getByRole('region', { name: 'CRM connection' });
    await crm.waitFor();
    h.assert((await crm.getByLabel('CRM').inputValue()) === 'hubspot', 'HubSpot is not the default CRM');
    h.assert((await crm.getByLabel('API address').inputValue()) === '', 'the API address should be left at HubSpot’s default');

    // 2. A wrong token: the test says why, and nothing is stored.
    const token = crm.getByLabel('Private app access token');
    await token.fill('pat-na1-not-the-right-token');
    await crm.getByRole('button', { name: 'Test connection' }).click();
    await crm.getByText(/Could not reach HubSpot: Authentication credentials not found/).waitFor();
    h.assert((await h.dbRows('credentials')).length === 0, 'a refused token was stored');

    // 3. The right token: the test shows the account, then Connect.
    await token.fill(TOKEN);
    await crm.getByRole('button', { name: 'Test connection' }).click();
    const account = 'HubSpot portal 4242 (app.hubspot.com)';
    await crm.getByRole('status').filter({ hasText: `Connected to ${account}.` }).waitFor();
    h.assert(route('GET /account-info/v3/details') === 2, `expected the two tests to reach /account-info/v3/details, saw ${route('GET /account-info/v3/details')}`);
    await crm.getByRole('button', { name: 'Connect HubSpot' }).click();
    await crm.getByText('Connected', { exact: true }).waitFor();
    await crm.getByText(account, { exact: true }).waitFor();
    const asked = await options.evaluate(() => window.__permissionRequests);
    h.log('permission requests', asked);
    h.assert(
      asked.length === 3 && asked.every((a) => a.origins.length === 1 && a.origins[0] === 'https://api.hubapi.com/*' && a.granted === true),
      `each click must ask for https://api.hubapi.com/* alone and get it: ${JSON.stringify(asked)}`,
    );

    // The token lives in the extension's IndexedDB, never in storage a content script can read.
    const [cred] = await h.dbRows('credentials');
    h.assert(cred?.providerId === 'hubspot' && cred.secret === TOKEN && !cred.baseUrl, `stored credential: ${JSON.stringify({ ...cred, secret: cred?.secret ? '…' : undefined })}`);
    const leaked = await h.sw.evaluate(async (t) => JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.sync.get(null), await chrome.storage.session.get(null)]).includes(t), TOKEN);
    h.assert(!leaked, 'the token is in chrome.storage');

    // The first sync runs on connect: it creates the threadline_id property and imports pipelines.
    const statusOf = () =>
      crm.locator('dl').evaluate((dl) => Object.fromEntries([...dl.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent ?? ''])));
    await h.waitFor(async () => (await statusOf())['Last sync'] === 'just now', { message: 'the first sync to finish ("Last sync: just now")', timeout: 15_000 });
    for (const t of ['companies', 'deals', 'tasks', 'emails', 'meetings', 'notes']) h.assert(fake.uniqueProps.get(t)?.has('threadline_id'), `no unique threadline_id property on ${t}`);
    h.assert(route('GET /crm/v3/pipelines/deals') >= 1, 'pipelines were not imported');
    h.assert(fake.creates === 0, `the first sync created ${fake.creates} records from an empty store`);

    // 4. Capture in Gmail with the in-page Log button.
    const mail = await h.newPage(THREAD);
    const tabId = await h.tabIdOf(mail);
    await h.waitFor(() => h.sw.evaluate(async (key) => (await chrome.storage.session.get(key))[key] ?? null, `tab:${tabId}`), { message: 'the thread’s pageContext' });
    let a = await ax(mail);
    const button = await h.waitFor(() => a.find('button', 'Log to Threadline'), { message: 'the in-page "Log to Threadline" button' });
    await a.click(button);
    await a.click(await h.waitFor(() => a.find('button', 'Confirm and log'), { message: 'the first-run preview’s "Confirm and log"' }));
    const statusLine = (node) => a.call(node, 'function () { return this.parentNode.querySelector("[role=status]").textContent; }');
    const receipt = await h.waitFor(async () => {
      const s = await statusLine(button);
      return /: 1 new/.test(s) ? s : null;
    }, { message: 'the in-page receipt "…: 1 new"' });
    h.log(`in-page receipt: ${receipt}`);
    h.assert(/^(Queued for sync|Synced): 1 new/.test(receipt), `with a CRM connected the receipt must speak of sync: "${receipt}"`);
    await a.detach();

    const [company] = await h.dbRows('companies');
    const [contact] = await h.dbRows('contacts');
    const [email] = await h.dbRows('activities');
    h.assert(contact?.emails?.[0] === LENA && company?.domain === 'harbor-cold.com' && email?.subject === SUBJECT, 'the capture did not store Lena, her company and the email');

    // 5. The capture schedules a sync: exactly one of each reaches HubSpot, with its links.
    await h.waitFor(async () => {
      const rows = await h.dbRows('activities');
      return rows[0]?.remoteIds?.hubspot && (await h.dbRows('outbox')).length === 0;
    }, { message: 'the email to get its HubSpot id and the outbox to empty (sync after capture)', timeout: 15_000 });
    const [rContact] = only(fake.objects.contacts);
    const [rCompany] = only(fake.objects.companies);
    const [rEmail] = only(fake.objects.emails);
    h.assert(fake.objects.contacts.size === 1 && rContact.properties.email === LENA && rContact.properties.firstname === 'Lena' && rContact.properties.lastname === 'Okafor', `HubSpot contacts: ${JSON.stringify([...fake.objects.contacts.values()].map((r) => r.properties))}`);
    h.assert(fake.objects.companies.size === 1 && rCompany.properties.domain === 'harbor-cold.com' && rCompany.properties.threadline_id === company.id, `HubSpot companies: ${JSON.stringify([...fake.objects.companies.values()].map((r) => r.properties))}`);
    h.assert(
      fake.objects.emails.size === 1 && rEmail.properties.threadline_id === email.id && rEmail.properties.hs_email_subject === SUBJECT && rEmail.properties.hs_email_direction === 'INCOMING_EMAIL',
      `HubSpot emails: ${JSON.stringify([...fake.objects.emails.values()].map((r) => r.properties))}`,
    );
    h.assert(fake.creates === 3, `HubSpot created ${fake.creates} records; expected company, contact and email once`);
    for (const t of ['companies', 'contacts', 'emails']) h.assert(route(`POST /crm/v3/objects/${t}/batch/upsert`) === 1, `${t} were upserted ${route(`POST /crm/v3/objects/${t}/batch/upsert`)} times`);
    h.assert(fake.associations.has(`emails:${rEmail.id}->contacts:${rContact.id}`), `the email is not linked to the contact: ${[...fake.associations].join(' ')}`);
    h.assert(fake.associations.has(`contacts:${rContact.id}->companies:${rCompany.id}`), `the contact is not linked to the company: ${[...fake.associations].join(' ')}`);
    const local = { contact: (await h.dbRows('contacts'))[0], company: (await h.dbRows('companies'))[0], email: (await h.dbRows('activities'))[0] };
    h.assert(local.contact.remoteIds.hubspot === rContact.id && local.company.remoteIds.hubspot === rCompany.id && local.email.remoteIds.hubspot === rEmail.id, `local remote ids: ${JSON.stringify(Object.fromEntries(Object.entries(local).map(([k, v]) => [k, v.remoteIds])))}`);

    // 6. The options page: nothing waiting, a fresh last sync, three records sent.
    const st = await h.waitFor(async () => {
      const s = await statusOf();
      return s['Waiting to send'] === 'nothing' && s['Last sync'] === 'just now' && /^3 \/ \d+$/.test(s['Sent / received']) ? s : null;
    }, { message: 'the options page to show an empty queue, "just now" and 3 sent' });
    h.log('options status', st);

    // The Gmail page, reloaded, shows the stored receipt as synced.
    await mail.reload({ waitUntil: 'domcontentloaded' });
    a = await ax(mail);
    const again = await h.waitFor(() => a.find('button', 'Log to Threadline'), { message: 'the Log button after a reload' });
    await h.waitFor(async () => (await statusLine(again)) === 'Synced (1 item)', { message: `the reloaded page's status "Synced (1 item)" (it says "${await statusLine(again).catch(() => '?')}")` });
    await a.detach();

    // 7. The side panel: Lena's timeline entry reads Synced.
    const panel = await h.openPanel(tabId);
    panel.setDefaultTimeout(10_000);
    await panel.getByRole('list', { name: 'People on this page' }).getByRole('button', { name: /Lena Okafor/ }).click();
    const badgeOf = (id) => panel.locator(`[data-activity-id="${id}"]`).getByTitle(/^Sync: /);
    await h.waitFor(async () => (await badgeOf(email.id).textContent()) === 'Synced', { message: 'the timeline badge "Synced" on the email' });

    // 8. HubSpot's writes fail for a while: a note stays queued, then lands once.
    outage.on = true;
    const createsBefore = fake.creates;
    await panel.getByRole('toolbar', { name: 'Quick actions' }).getByRole('button', { name: 'Add note' }).click();
    const dialog = panel.getByRole('dialog', { name: 'Add a note' });
    await dialog.getByLabel('Note').fill(NOTE);
    await dialog.getByRole('button', { name: 'Add note' }).click();
    await dialog.waitFor({ state: 'detached' });
    const note = await h.waitFor(async () => (await h.dbRows('activities')).find((r) => r.kind === 'note'), { message: 'the note in IndexedDB' });
    await h.waitFor(() => outage.faults.length >= 1, { message: 'the note’s push to reach HubSpot during the outage', timeout: 15_000 });
    h.assert(outage.faults[0].path === '/crm/v3/objects/notes/batch/upsert', `the first write in the outage was ${outage.faults[0].path}`);
    // HubSpot stored it, but the answer was a 500: locally it is still queued, and says so.
    h.assert(fake.objects.notes.size === 1, 'the first (answered 500) upsert was not applied by the fake');
    h.assert(!(await h.dbRows('activities')).find((r) => r.id === note.id).remoteIds?.hubspot, 'the note got a HubSpot id from a 500');
    h.assert((await h.dbRows('outbox')).some((r) => r.entityId === note.id), 'the note left the outbox after a 500');
    await h.waitFor(async () => (await badgeOf(note.id).textContent()) === 'Queued', { message: 'the note’s badge "Queued" during the outage' });
    await h.waitFor(async () => (await statusOf())['Waiting to send'] === '1 change', { message: 'the options page to show "1 change" waiting' });
    await h.waitFor(() => outage.faults.length >= 3, { message: 'two more failed attempts (429, then 500)', timeout: 15_000 });
    outage.on = false;
    h.log('outage', outage.faults);

    await h.waitFor(async () => (await h.dbRows('activities')).find((r) => r.id === note.id)?.remoteIds?.hubspot && (await h.dbRows('outbox')).length === 0, {
      message: 'the note to land after the outage',
      timeout: 15_000,
    });
    const notes = only(fake.objects.notes);
    h.assert(fake.objects.notes.size === 1 && notes[0].properties.threadline_id === note.id && notes[0].properties.hs_note_body === NOTE, `HubSpot notes: ${JSON.stringify([...fake.objects.notes.values()].map((r) => r.properties))}`);
    h.assert(fake.creates === createsBefore + 1, `the note was created ${fake.creates - createsBefore} times`);
    h.assert(route('POST /crm/v3/objects/notes/batch/upsert') >= 2, 'the retried upsert never reached HubSpot');
    h.assert(fake.associations.has(`notes:${notes[0].id}->contacts:${rContact.id}`), 'the note is not linked to the contact');
    h.assert((await h.dbRows('activities')).find((r) => r.id === note.id).remoteIds.hubspot === notes[0].id, 'the note’s local HubSpot id is not the one HubSpot kept');
    await h.waitFor(async () => (await badgeOf(note.id).textContent()) === 'Synced', { message: 'the note’s badge "Synced" after recovery' });
    await h.waitFor(async () => {
      const s = await statusOf();
      return s['Waiting to send'] === 'nothing' && s['Last sync'] === 'just now';
    }, { message: 'the options page to show nothing waiting after recovery' });
    h.assert((await crm.getByText(/will be retried|refused/).count()) === 0, 'the options page still shows a sync error after recovery');

    // "Sync now" runs again and sends nothing new: every record is in HubSpot once.
    const writes = () => [...fake.byRoute].filter(([r]) => isWrite({ method: r.split(' ')[0], path: r.split(' ')[1] })).reduce((n, [, c]) => n + c, 0);
    const writesBefore = writes();
    const { lastRunAt } = (await h.send('syncStatus', {})).value;
    await crm.getByRole('button', { name: 'Sync now' }).click();
    await h.waitFor(async () => {
      const s = (await h.send('syncStatus', {})).value;
      return s.lastRunAt > lastRunAt && !s.running;
    }, { message: 'the run started by "Sync now" to finish' });
    h.assert(writes() === writesBefore && fake.creates === createsBefore + 1, `"Sync now" wrote again: ${writes() - writesBefore} write requests, ${fake.creates - createsBefore - 1} new records`);

    // 9. Disconnect: the token is forgotten, nothing is deleted on either side, badges go local.
    options.once('dialog', (d) => void d.accept());
    await crm.getByRole('button', { name: 'Disconnect' }).click();
    await crm.getByRole('button', { name: 'Connect HubSpot' }).waitFor();
    h.assert((await h.dbRows('credentials')).length === 0, 'the credential is still stored after disconnect');
    h.assert(!(await h.dbRows('syncState')).some((r) => r.key === 'connected'), 'pages are still told a CRM is connected');
    await h.waitFor(async () => (await badgeOf(email.id).textContent()) === 'Local', { message: 'the email’s badge "Local" after disconnect' });
    h.assert(only(fake.objects.contacts).length === 1 && only(fake.objects.emails).length === 1 && only(fake.objects.notes).length === 1, 'disconnecting archived records in HubSpot');
    h.assert((await h.dbRows('activities')).every((r) => r.remoteIds?.hubspot), 'disconnecting dropped the local HubSpot ids');
    const requests = seen.length;
    h.assert((await h.send('syncNow', {}))?.ok === true, 'syncNow was refused');
    const after = await h.send('syncStatus', {});
    h.assert(after?.ok === true && after.value.connection === null && after.value.running === false, `status after disconnect: ${JSON.stringify(after)}`);
    h.assert(seen.length === requests, `a request reached HubSpot after disconnect: ${seen.slice(requests).join(', ')}`);
    h.log(`HubSpot saw ${seen.length} requests`, Object.fromEntries(fake.byRoute));
    await panel.close();
    await mail.close();
    await options.close();
  } finally {
    await fake.close();
  }
}
