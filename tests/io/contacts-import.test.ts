import { db } from '@/lib/db';
import { createContact, ensureCompany, saveSettings, updateContact } from '@/lib/db/mutations';
import { getSettings } from '@/lib/db/queries';
import {
  CONTACT_FIELDS,
  ImportRejected,
  applyContactImport,
  exportContactsCsv,
  formatIssue,
  guessMapping,
  importContactsCsv,
  parseCsv,
  prepareContactImport,
  type ContactField,
} from '@/lib/io';
import { fixture } from './helpers';

const NOW = Date.UTC(2026, 10, 20, 12);

async function rejection(p: Promise<unknown>): Promise<ImportRejected> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ImportRejected);
  return e as ImportRejected;
}

const auto = (text: string) => guessMapping(parseCsv(text).headers, CONTACT_FIELDS);

describe('contact CSV import', () => {
  it('imports a valid file: contacts, companies by domain, outbox rows, import source', async () => {
    const text = fixture('contacts-valid.csv');
    const result = await importContactsCsv(text, auto(text), { now: NOW });
    expect(result).toEqual({ created: 3, updated: 0, companiesCreated: 3 });
    const ada = await db.contacts.where('emails').equals('ada@analytical.io').first();
    expect(ada).toMatchObject({ name: 'Ada Lovelace', title: 'CTO', lifecycleStage: 'lead', source: { origin: 'import', leadSource: 'Conference' } });
    const company = await db.companies.get(ada!.companyId!);
    expect(company).toMatchObject({ domain: 'analytical.io', name: 'Analytical Engines' });
    // Alan has no website column value: his company comes from his address's domain.
    const alan = await db.contacts.where('emails').equals('alan@bletchley.example.com').first();
    expect((await db.companies.get(alan!.companyId!))?.domain).toBe('bletchley.example.com');
    expect(await db.outbox.where('entity').equals('contact').count()).toBe(3);
    expect(await db.outbox.where('entity').equals('company').count()).toBe(3);
  });

  it('rejects a file with one bad line, names its line and field, and writes nothing', async () => {
    const text = fixture('contacts-one-bad-line.csv');
    const e = await rejection(importContactsCsv(text, auto(text), { now: NOW }));
    expect(e.issues).toEqual([{ line: 4, field: 'Email (column "E-mail")', message: '"alan-at-bletchley" is not an email address' }]);
    expect(formatIssue(e.issues[0]!)).toBe('Line 4, Email (column "E-mail"): "alan-at-bletchley" is not an email address');
    expect(await db.contacts.count()).toBe(0);
    expect(await db.companies.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('lists every issue of every line, not just the first', async () => {
    const text = 'Email,Lifecycle stage,Status,Website\nok@x.com,lead,new,x.com\n,lead,new,\nb@x.com,banana,sleeping,not a site\n';
    const e = await rejection(importContactsCsv(text, auto(text)));
    expect(e.issues.map(formatIssue)).toEqual([
      'Line 3, Email: is empty; every contact needs an address',
      'Line 4, Company domain (column "Website"): "not a site" is not a domain or website',
      'Line 4, Lifecycle stage: "banana" is not one of subscriber, lead, mql, sql, opportunity, customer, evangelist, other',
      'Line 4, Status: "sleeping" is not one of new, active, nurture, unqualified, archived',
    ]);
    expect(await db.contacts.count()).toBe(0);
  });

  it('refuses a mapping without an email column', async () => {
    const e = await rejection(importContactsCsv('Name\nAnn\n', [ 'name' ]));
    expect(e.issues).toEqual([{ line: 0, field: 'Email', message: 'no column is mapped to it' }]);
  });

  it('dedupes by address within the file and against stored contacts, reporting creates and updates', async () => {
    const existing = await createContact({ emails: ['barbara@mit.example.edu'], name: 'B. Liskov', source: { origin: 'capture', site: 'gmail' } }, { now: NOW - 1000 });
    const csv = parseCsv(fixture('contacts-hubspot-export.csv'));
    const mapping = guessMapping(csv.headers, CONTACT_FIELDS);
    const plan = await prepareContactImport(csv, mapping, undefined, { now: NOW });
    expect(plan).toMatchObject({ creates: 1, updates: 1, merged: 1 });
    const margaret = plan.items.find((i) => i.action === 'create')!;
    expect(margaret.lines).toEqual([2, 4]);
    expect(margaret.contact.emails).toEqual(['margaret@apollo.example.com', 'mh@apollo.example.com']);
    // The later row's name wins; its empty stage does not erase the earlier one.
    expect(margaret.contact).toMatchObject({ name: 'Margaret H.', lifecycleStage: 'mql' });

    await applyContactImport(plan, { now: NOW });
    expect(await db.contacts.count()).toBe(2);
    const barbara = await db.contacts.get(existing.id);
    expect(barbara).toMatchObject({ name: 'Barbara Liskov', lifecycleStage: 'sql', status: 'active', source: { origin: 'capture', site: 'gmail', leadSource: 'Referral' } });
    expect(barbara?.terms).toContain('liskov');
  });

  it('refuses a row whose addresses belong to two stored contacts', async () => {
    await createContact({ emails: ['a@x.com'], source: { origin: 'manual' } });
    await createContact({ emails: ['b@x.com'], source: { origin: 'manual' } });
    const e = await rejection(importContactsCsv('Email\n"a@x.com; b@x.com"\n', ['email']));
    expect(e.issues[0]).toMatchObject({ line: 2, field: 'Email' });
    expect(e.issues[0]!.message).toMatch(/2 different existing contacts/);
  });

  it('refuses addresses on the never-log list', async () => {
    await saveSettings({ neverLogDomains: ['secret.example'] });
    const e = await rejection(importContactsCsv('Email\nx@secret.example\n', ['email'], { settings: await getSettings() }));
    expect(formatIssue(e.issues[0]!)).toBe('Line 2, Email: x@secret.example is on your never-log list');
  });

  it('links to an existing company instead of creating a second one', async () => {
    const co = await ensureCompany('analytical.io', 'AE');
    const text = fixture('contacts-valid.csv');
    const r = await importContactsCsv(text, auto(text));
    expect(r.companiesCreated).toBe(2);
    expect((await db.contacts.where('emails').equals('ada@analytical.io').first())?.companyId).toBe(co.id);
  });

  it('rolls everything back when the store refuses a row mid-import', async () => {
    const text = fixture('contacts-valid.csv');
    const plan = await prepareContactImport(parseCsv(text), auto(text));
    // Someone captures Grace between preview and import: her address is now taken.
    await createContact({ emails: ['grace@navy.example.org'], source: { origin: 'capture' } });
    await expect(applyContactImport(plan, { chunkSize: 1 })).rejects.toThrow();
    expect(await db.contacts.count()).toBe(1);
    expect(await db.companies.count()).toBe(0);
  });

  it('refuses to overwrite a contact edited after the preview, writing nothing', async () => {
    const grace = await createContact({ emails: ['grace@navy.example.org'], source: { origin: 'capture' } }, { now: NOW - 10 });
    const text = fixture('contacts-valid.csv');
    const plan = await prepareContactImport(parseCsv(text), auto(text), undefined, { now: NOW });
    await updateContact(grace.id, { title: 'Commodore' }, { now: NOW - 5 });
    await expect(applyContactImport(plan, { now: NOW })).rejects.toThrow('grace@navy.example.org changed after the preview (line 3)');
    expect(await db.contacts.count()).toBe(1);
    expect((await db.contacts.get(grace.id))?.title).toBe('Commodore');
  });

  it('imports 5,000 rows in one transaction, reporting chunked progress', async () => {
    const lines = ['Email,Name'];
    for (let i = 0; i < 5000; i++) lines.push(`person${i}@bulk${i % 50}.example.com,Person ${i}`);
    const progress: [number, number][] = [];
    const mapping: ContactField[] = ['email', 'name'];
    const r = await importContactsCsv(lines.join('\n'), mapping, { onProgress: (d, t) => progress.push([d, t]) });
    expect(r.created).toBe(5000);
    expect(await db.contacts.count()).toBe(5000);
    expect(progress[0]).toEqual([0, 5000]);
    expect(progress.at(-1)).toEqual([5000, 5000]);
    expect(progress.length).toBe(5000 / 250 + 1);
    expect(progress.every(([d], i) => i === 0 || d > progress[i - 1]![0])).toBe(true);
  });

  it('round-trips its own CSV export', async () => {
    const text = fixture('contacts-valid.csv');
    await importContactsCsv(text, auto(text), { now: NOW });
    const exported = await exportContactsCsv();
    await Promise.all(db.tables.map((t) => t.clear()));
    const r = await importContactsCsv(exported, auto(exported), { now: NOW });
    expect(r.created).toBe(3);
    expect(await db.contacts.where('emails').equals('grace@navy.example.org').first()).toMatchObject({ name: 'Grace Hopper', title: 'Rear Admiral', lifecycleStage: 'customer' });
  });
});
