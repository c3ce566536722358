import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ExportSection } from '@/components/options/ExportSection';
import { ResetSection } from '@/components/options/ResetSection';
import { db } from '@/lib/db';
import { createContact, ensureDefaults, saveSettings } from '@/lib/db/mutations';
import { Backup } from '@/lib/io';
import './helpers';

describe('ExportSection', () => {
  let blobs: Blob[];
  let downloads: string[];
  beforeEach(() => {
    blobs = [];
    downloads = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('downloads a valid full backup and a contacts CSV', async () => {
    await ensureDefaults();
    await createContact({ emails: ['ann@acme.example'], name: '=HYPERLINK("x")', source: { origin: 'manual' } });
    render(<ExportSection />);
    fireEvent.click(await screen.findByRole('button', { name: 'Download full backup (JSON)' }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]).toMatch(/^threadline-backup-\d{4}-\d{2}-\d{2}\.json$/);
    const backup = Backup.parse(JSON.parse(await blobs[0]!.text()));
    expect(backup.data.contacts.map((c) => c.emails[0])).toEqual(['ann@acme.example']);

    fireEvent.click(await screen.findByRole('button', { name: 'Contacts CSV (1)' }));
    await waitFor(() => expect(downloads).toHaveLength(2));
    const csv = await blobs[1]!.text();
    expect(csv.split('\r\n')[0]).toMatch(/^Email,Name,Company/);
    // A formula-looking name is neutralised for spreadsheets.
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(screen.getByRole('status').textContent).toMatch(/^Downloaded threadline-contacts-/);
  });

  it('disables CSV exports with nothing to export', async () => {
    render(<ExportSection />);
    await waitFor(() => expect((screen.getByRole('button', { name: 'Deals CSV (0)' }) as HTMLButtonElement).disabled).toBe(true));
  });
});

describe('ResetSection', () => {
  it('erases everything only after confirming, restoring defaults', async () => {
    await ensureDefaults();
    await saveSettings({ onboarded: true, selfEmails: ['me@x.example'] });
    await createContact({ emails: ['ann@acme.example'], source: { origin: 'manual' } });
    render(<ResetSection />);
    fireEvent.click(screen.getByRole('button', { name: 'Reset Threadline…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Erase all Threadline data?' });
    expect(document.activeElement?.textContent).toBe('Cancel');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(await db.contacts.count()).toBe(1);

    fireEvent.click(screen.getByRole('button', { name: 'Reset Threadline…' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Erase everything' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await db.contacts.count()).toBe(0);
    expect((await db.settings.get('settings'))?.value).toMatchObject({ onboarded: false, selfEmails: [] });
    expect(await db.pipelines.count()).toBe(1);
  });
});
