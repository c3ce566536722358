import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useLiveQuery } from 'dexie-react-hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { PrivacySection } from '@/components/options/PrivacySection';
import { NoteDialog } from '@/components/panel/NoteDialog';
import { createContact, ensureDefaults } from '@/lib/db/mutations';
import { getSettings } from '@/lib/db/queries';
import { db } from '@/lib/db';
import { toAppError } from '@/lib/errors';
import '../components/options/helpers';
import { quotaAt, snapshot, type Injection } from './faults';

const QUOTA_MESSAGE = toAppError(new DOMException('', 'QuotaExceededError')).message;

let fault: Injection | undefined;
afterEach(() => {
  fault?.restore();
  fault = undefined;
});

function LivePrivacy() {
  const s = useLiveQuery(getSettings, []);
  return s ? <PrivacySection settings={s} /> : null;
}

describe('a full disk, as the rep sees it', () => {
  it('options: a setting that cannot be saved says why, and the stored choice stays', async () => {
    await ensureDefaults();
    render(<LivePrivacy />);
    const body = await screen.findByRole('radio', { name: /Full message body/ });
    const before = await snapshot();
    fault = quotaAt(1);
    fireEvent.click(body);
    // The banner also holds its dismiss button's ✕.
    expect((await screen.findByRole('alert')).textContent).toBe(`Not saved: ${QUOTA_MESSAGE}✕`);
    expect(fault.fired).toBe(true);
    fault.restore();
    expect(await snapshot()).toEqual(before);
    expect((await getSettings()).privacy).toBe('snippet');
  });

  it('side panel: a note that cannot be saved keeps the dialog open with the message, and stores nothing', async () => {
    const ann = await createContact({ emails: ['ann@acme.example'], name: 'Ann', source: { origin: 'manual' } });
    let closed = false;
    render(<NoteDialog kind="note" contact={ann} deals={[]} now={Date.UTC(2026, 10, 22)} onClose={() => (closed = true)} />);
    fireEvent.change(await screen.findByLabelText('Note'), { target: { value: 'Called, wants a quote' } });
    const before = await snapshot();
    fault = quotaAt(1);
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    expect((await screen.findByRole('alert')).textContent).toContain(QUOTA_MESSAGE);
    fault.restore();
    expect(await snapshot()).toEqual(before);
    expect(await db.activities.count()).toBe(0);
    // The dialog is still there with the text, so the rep can retry once space is freed.
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('Called, wants a quote');
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    expect(closed).toBe(false);
    await waitFor(async () => expect(await db.activities.count()).toBe(1));
    await waitFor(() => expect(closed).toBe(true));
  });
});
