import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BackupRestore } from '@/components/options/BackupRestore';
import { db } from '@/lib/db';
import { createContact, ensureDefaults } from '@/lib/db/mutations';
import { MAX_BACKUP_BYTES, exportBackup } from '@/lib/io';
import { chooseFile } from '../components/options/helpers';

async function storeRows(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of db.tables) out[t.name] = await t.toArray();
  return out;
}

describe('restoring a backup from the options page', () => {
  it('refuses a file over the size limit without reading it, and changes nothing', async () => {
    await ensureDefaults();
    await createContact({ emails: ['ann@acme.example'], source: { origin: 'manual' } });
    const before = await storeRows();
    render(<BackupRestore />);
    const file = new File(['{}'], 'huge.json', { type: 'application/json' });
    Object.defineProperty(file, 'size', { value: MAX_BACKUP_BYTES + 1 });
    const read = vi.spyOn(file, 'text');
    chooseFile(screen.getByLabelText('Threadline backup file (.json)'), file);
    expect((await screen.findByRole('alert')).textContent).toContain('huge.json is larger than 500 MB.');
    expect(read).not.toHaveBeenCalled();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(await storeRows()).toEqual(before);
  });

  it('lists what is wrong with a foreign file and offers no restore', async () => {
    await ensureDefaults();
    const before = await storeRows();
    render(<BackupRestore />);
    chooseFile(screen.getByLabelText('Threadline backup file (.json)'), new File([JSON.stringify({ results: [], paging: {} })], 'hubspot.json'));
    expect(await screen.findByText('This file cannot be restored; nothing was changed.')).toBeTruthy();
    expect(screen.getByText(/not a Threadline backup/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Replace and restore' })).toBeNull();
    expect(await storeRows()).toEqual(before);
  });

  it('a valid file asks first, then replaces the data and says how much came back', async () => {
    await ensureDefaults();
    await createContact({ emails: ['ann@acme.example'], source: { origin: 'manual' } });
    const text = JSON.stringify(await exportBackup());
    await createContact({ emails: ['later@acme.example'], source: { origin: 'manual' } });
    render(<BackupRestore />);
    chooseFile(screen.getByLabelText('Threadline backup file (.json)'), new File([text], 'backup.json'));
    fireEvent.click(await screen.findByRole('button', { name: 'Replace and restore' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/^Restored 1 contacts/);
    await waitFor(async () => expect((await db.contacts.toArray()).map((c) => c.emails[0])).toEqual(['ann@acme.example']));
  });
});
