import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContactView } from '@/components/panel/ContactView';
import { db } from '@/lib/db';
import { send } from '@/lib/messaging/client';
import { NOW, fakeLayout, freezeClock, renderAt, seedContact } from './helpers';

vi.mock('@/lib/messaging/client', () => ({ send: vi.fn(async () => ({ ok: true })) }));

let restoreLayout: () => void;
beforeEach(() => {
  freezeClock();
  restoreLayout = fakeLayout();
  vi.mocked(send).mockClear();
});
afterEach(() => {
  vi.useRealTimers();
  restoreLayout();
});

describe('quick actions', () => {
  it('adds a note that shows on the timeline and tells the background', async () => {
    const c = await seedContact();
    renderAt(<ContactView contactId={c.id} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add note' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a note' });
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Note'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add note' }));
    expect(await within(dialog).findByText('Write the note first.')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Note'), { target: { value: 'Prefers email over calls\nBudget cycle in March' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const [note] = await db.activities.where('occurredAt').equals(NOW).toArray();
    expect(note).toMatchObject({ kind: 'note', subject: 'Prefers email over calls', body: 'Prefers email over calls\nBudget cycle in March', contactIds: [c.id] });
    expect(await screen.findByText('Prefers email over calls', { selector: 'p' })).toBeTruthy();
    expect(send).toHaveBeenCalledWith('storeChanged', { tables: ['activities', 'outbox'] });
  });

  it('logs a call with direction and duration', async () => {
    const c = await seedContact();
    renderAt(<ContactView contactId={c.id} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Log call' }));
    const dialog = await screen.findByRole('dialog', { name: 'Log a call' });
    fireEvent.change(within(dialog).getByLabelText('Summary'), { target: { value: 'Discovery call' } });
    fireEvent.change(within(dialog).getByLabelText('Direction'), { target: { value: 'inbound' } });
    fireEvent.change(within(dialog).getByLabelText('Minutes'), { target: { value: '25' } });
    fireEvent.change(within(dialog).getByLabelText('Call notes'), { target: { value: 'Needs SSO' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Log call' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const [call] = await db.activities.toArray();
    expect(call).toMatchObject({ kind: 'call', subject: 'Discovery call', body: 'Needs SSO', direction: 'inbound', occurredAt: NOW, endAt: NOW + 25 * 60_000 });
  });

  it('adds a follow-up with a preset date', async () => {
    const c = await seedContact();
    renderAt(<ContactView contactId={c.id} sourceUrl="https://mail.google.com/mail/u/0/#inbox/abc" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Follow-up' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a follow-up' });
    fireEvent.change(within(dialog).getByLabelText('Follow-up'), { target: { value: 'Check they got the deck' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'In 3 days' }));
    expect((within(dialog).getByLabelText('Due') as HTMLInputElement).value).toBe('2026-11-23');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Tomorrow' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const [task] = await db.tasks.toArray();
    expect(task).toMatchObject({ kind: 'follow_up', title: 'Check they got the deck', dueAt: new Date(2026, 10, 21, 9).getTime(), contactId: c.id, status: 'open', sourceUrl: 'https://mail.google.com/mail/u/0/#inbox/abc' });
    expect(send).toHaveBeenCalledWith('storeChanged', { tables: ['deals', 'tasks', 'outbox'] });
  });

  it('a failed write shows an error and keeps the dialog open', async () => {
    const c = await seedContact();
    renderAt(<ContactView contactId={c.id} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add note' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a note' });
    fireEvent.change(within(dialog).getByLabelText('Note'), { target: { value: 'x' } });
    const spy = vi.spyOn(db.activities, 'add').mockRejectedValueOnce(Object.assign(new Error('disk full'), { name: 'QuotaExceededError' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add note' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('out of storage space');
    expect(screen.getByRole('dialog')).toBeTruthy();
    spy.mockRestore();
  });

  it('Escape closes a dialog without writing', async () => {
    const c = await seedContact();
    renderAt(<ContactView contactId={c.id} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Log call' }));
    const dialog = await screen.findByRole('dialog', { name: 'Log a call' });
    fireEvent.change(within(dialog).getByLabelText('Summary'), { target: { value: 'never saved' } });
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await db.activities.count()).toBe(0);
  });
});
