import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ImportSection } from '@/components/options/ImportSection';
import { db } from '@/lib/db';
import { createContact, ensureDefaults } from '@/lib/db/mutations';
import { exportBackup } from '@/lib/io';
import { chooseFile, fixtureFile } from './helpers';

describe('CSV import', () => {
  it('rejects a file with one bad line, naming its line and field, and writes nothing', async () => {
    render(<ImportSection />);
    chooseFile(await screen.findByLabelText('CSV file of contacts'), fixtureFile('contacts-one-bad-line.csv'));
    const problems = await screen.findByRole('list', { name: 'Import problems' });
    expect(within(problems).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Line 4, Email (column "E-mail"): "alan-at-bletchley" is not an email address']);
    expect((screen.getByRole('button', { name: 'Import' }) as HTMLButtonElement).disabled).toBe(true);
    expect(await db.contacts.count()).toBe(0);
  });

  it('guesses the mapping, previews creates and updates, then imports', async () => {
    await createContact({ emails: ['grace@navy.example.org'], name: 'G. Hopper', source: { origin: 'capture' } });
    render(<ImportSection />);
    chooseFile(await screen.findByLabelText('CSV file of contacts'), fixtureFile('contacts-valid.csv'));
    const mapping = await screen.findByRole('table', { name: 'Column mapping' });
    expect((within(mapping).getByLabelText('Field for column E-mail') as HTMLSelectElement).value).toBe('email');
    expect((within(mapping).getByLabelText('Field for column Website') as HTMLSelectElement).value).toBe('companyDomain');

    const preview = await screen.findByRole('table', { name: 'Import preview' });
    expect(screen.getByText(/All lines are valid/).textContent).toBe('All lines are valid: 2 new contacts, 1 update to existing.');
    const rows = within(preview).getAllByRole('row').slice(1) as HTMLTableRowElement[];
    expect(rows.map((r) => [r.cells[0]!.textContent, r.cells[1]!.textContent])).toEqual([
      ['2', 'New'],
      ['3', 'Update'],
      ['4', 'New'],
    ]);

    fireEvent.click(screen.getByRole('button', { name: 'Import 3 contacts' }));
    expect((await screen.findByText(/^Imported:/)).textContent).toBe('Imported: 2 new contacts, 1 updated, 3 new companies.');
    expect(await db.contacts.count()).toBe(3);
    expect((await db.contacts.where('emails').equals('grace@navy.example.org').first())?.name).toBe('Grace Hopper');
  });

  it('shows a progress bar while a large file imports', async () => {
    const lines = ['Email,Name'];
    for (let i = 0; i < 2000; i++) lines.push(`p${i}@bulk.example.com,Person ${i}`);
    const seen: string[] = [];
    const observer = new MutationObserver(() => {
      const bar = document.querySelector('[role="progressbar"]');
      if (bar) seen.push(`${bar.getAttribute('aria-valuenow')}/${bar.getAttribute('aria-valuemax')}`);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    render(<ImportSection />);
    chooseFile(await screen.findByLabelText('CSV file of contacts'), new File([lines.join('\n')], 'big.csv', { type: 'text/csv' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Import 2000 contacts' }));
    await screen.findByText(/^Imported: 2000 new contacts/, undefined, { timeout: 15_000 });
    observer.disconnect();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.endsWith('/2000'))).toBe(true);
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(await db.contacts.count()).toBe(2000);
  });

  it('re-checks when the user remaps a column', async () => {
    render(<ImportSection />);
    chooseFile(await screen.findByLabelText('CSV file of contacts'), fixtureFile('contacts-valid.csv'));
    const select = await screen.findByLabelText('Field for column E-mail');
    fireEvent.change(select, { target: { value: '' } });
    expect((await screen.findByRole('list', { name: 'Import problems' })).textContent).toBe('File, Email: no column is mapped to it');
    fireEvent.change(select, { target: { value: 'email' } });
    expect(await screen.findByRole('table', { name: 'Import preview' })).toBeTruthy();
  });

  it('says which file could not be read when it is empty', async () => {
    render(<ImportSection />);
    chooseFile(await screen.findByLabelText('CSV file of contacts'), new File([''], 'empty.csv', { type: 'text/csv' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Could not read empty.csv: the file is empty/);
  });
});

describe('CSV import of deals', () => {
  it('switches to deals, maps the deal columns, previews and imports', async () => {
    await ensureDefaults();
    render(<ImportSection />);
    fireEvent.click(await screen.findByLabelText('Deals'));
    chooseFile(await screen.findByLabelText('CSV file of deals'), fixtureFile('deals-valid.csv'));
    expect((await screen.findByLabelText('Field for column Expected close') as HTMLSelectElement).value).toBe('expectedClose');
    await screen.findByRole('table', { name: 'Import preview' });
    expect(screen.getByText(/All lines are valid/).textContent).toBe('All lines are valid: 3 new deals, 0 updates to existing, 4 new contacts.');
    fireEvent.click(screen.getByRole('button', { name: 'Import 3 deals' }));
    expect((await screen.findByText(/^Imported:/)).textContent).toBe('Imported: 3 new deals, 0 updated, 4 new contacts.');
    expect(await db.deals.count()).toBe(3);
  });

  it('names every bad line of a deals file and writes nothing', async () => {
    await ensureDefaults();
    render(<ImportSection />);
    fireEvent.click(await screen.findByLabelText('Deals'));
    chooseFile(await screen.findByLabelText('CSV file of deals'), fixtureFile('deals-bad-lines.csv'));
    const problems = await screen.findByRole('list', { name: 'Import problems' });
    expect(within(problems).getAllByRole('listitem')).toHaveLength(6);
    expect(within(problems).getAllByRole('listitem')[0]!.textContent).toBe('Line 3, Deal name: is empty; every deal needs a name');
    expect(await db.deals.count()).toBe(0);
  });
});

describe('JSON backup restore', () => {
  it('rejects a foreign file with a clear error and changes nothing', async () => {
    await createContact({ emails: ['keep@me.example'], source: { origin: 'manual' } });
    render(<ImportSection />);
    chooseFile(await screen.findByLabelText('Threadline backup file (.json)'), fixtureFile('backup-foreign.json', 'application/json'));
    const alert = await screen.findByText('This file cannot be restored; nothing was changed.');
    expect(alert.parentElement?.textContent).toContain('this is not a Threadline backup');
    expect(await db.contacts.count()).toBe(1);
  });

  it('asks before replacing, then restores the backup', async () => {
    await ensureDefaults();
    await createContact({ emails: ['from-backup@x.example'], source: { origin: 'manual' } });
    const backup = JSON.stringify(await exportBackup());
    await db.contacts.clear();
    await createContact({ emails: ['current@x.example'], source: { origin: 'manual' } });

    render(<ImportSection />);
    chooseFile(await screen.findByLabelText('Threadline backup file (.json)'), new File([backup], 'b.json', { type: 'application/json' }));
    const dialog = await screen.findByRole('dialog', { name: 'Replace all local data with this backup?' });
    expect(dialog.textContent).toContain('It holds 1 contacts');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(await db.contacts.where('emails').equals('current@x.example').count()).toBe(1);

    chooseFile(screen.getByLabelText('Threadline backup file (.json)'), new File([backup], 'b.json', { type: 'application/json' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Replace and restore' }));
    expect(await screen.findByText(/^Restored 1 contacts/)).toBeTruthy();
    expect((await db.contacts.toArray()).map((c) => c.emails[0])).toEqual(['from-backup@x.example']);
  });
});
