import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'first-run setup, a CSV with one bad line is refused by line number with nothing written, then a valid CSV imports';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'import');
const csv = (name) => ({ name, mimeType: 'text/csv', buffer: readFileSync(join(fixtures, name)) });

export default async function (h) {
  const page = await h.newPage(h.extUrl('options.html'));

  // First run: the short setup shows until it is finished.
  await page.getByRole('heading', { name: 'Welcome to Threadline' }).waitFor({ timeout: 10_000 });
  await page.getByLabel('Your work email').fill('rep@threadline-e2e.example');
  await page.getByRole('button', { name: 'Start using Threadline' }).click();
  await page.getByRole('heading', { name: 'Threadline settings' }).waitFor();
  const [settings] = await h.dbRows('settings');
  h.assert(settings?.value?.onboarded === true && settings.value.selfEmails[0] === 'rep@threadline-e2e.example', `setup not stored: ${JSON.stringify(settings)}`);
  h.assert(await page.getByRole('region', { name: 'CRM connection' }).isVisible(), 'the CRM connection section is missing');

  // A file with one bad line: every line is checked, the bad one is named, nothing is written.
  const picker = page.getByLabel('CSV file of contacts');
  await picker.setInputFiles(csv('contacts-one-bad-line.csv'));
  const problems = page.getByRole('list', { name: 'Import problems' });
  await problems.waitFor({ timeout: 10_000 });
  const items = await problems.getByRole('listitem').allTextContents();
  h.log('problems', items);
  h.assert(items.length === 1 && items[0] === 'Line 4, Email (column "E-mail"): "alan-at-bletchley" is not an email address', `unexpected problems: ${JSON.stringify(items)}`);
  h.assert(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled(), 'Import must stay disabled for an invalid file');
  for (const store of ['contacts', 'companies', 'outbox']) {
    const rows = await h.dbRows(store);
    h.assert(rows.length === 0, `the rejected file wrote ${rows.length} ${store} rows`);
  }

  // The valid file: preview, then one import.
  await picker.setInputFiles(csv('contacts-valid.csv'));
  await page.getByRole('table', { name: 'Import preview' }).waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Import 3 contacts' }).click();
  const done = page.getByText(/^Imported:/);
  await done.waitFor({ timeout: 10_000 });
  h.log(await done.textContent());
  const contacts = await h.waitFor(async () => {
    const rows = await h.dbRows('contacts');
    return rows.length === 3 ? rows : null;
  }, { message: '3 imported contacts in IndexedDB' });
  const ada = contacts.find((c) => c.emails.includes('ada@analytical.io'));
  h.assert(ada?.name === 'Ada Lovelace' && ada.source?.origin === 'import' && ada.source.leadSource === 'Conference', `Ada imported wrongly: ${JSON.stringify(ada)}`);
  const outbox = await h.dbRows('outbox');
  h.assert(outbox.filter((o) => o.entity === 'contact').length === 3, 'each imported contact must be queued for sync');
}
