import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContactView } from '@/components/panel/ContactView';
import { db } from '@/lib/db';
import { createDeal } from '@/lib/db/mutations';
import { DAY, NOW, freezeClock, renderAt, seedContact } from './helpers';

vi.mock('@/lib/messaging/client', () => ({ send: vi.fn(async () => ({ ok: true })) }));

beforeEach(() => freezeClock());
afterEach(() => vi.useRealTimers());

describe('contact card', () => {
  it('shows name, emails, company, stage, source and last touched', async () => {
    const c = await seedContact();
    renderAt(<ContactView contactId={c.id} />);
    const card = await screen.findByRole('region', { name: 'Contact Ana Lima' });
    expect(within(card).getByRole('heading', { name: 'Ana Lima' })).toBeTruthy();
    expect(card.textContent).toContain('ana@acme.com');
    await waitFor(() => expect(card.textContent).toContain('Acme'));
    expect(card.textContent).toContain('Lead');
    expect(card.textContent).toContain('Referral');
    expect(within(card).getByTestId('last-touched').textContent).toBe('12 days ago');
    expect(within(card).queryByRole('list', { name: 'Needs attention' })).toBeNull();
  });

  it('flags a missing source and stage and fixes each in one click', async () => {
    const c = await seedContact({ lifecycleStage: undefined, source: { origin: 'capture' } });
    renderAt(<ContactView contactId={c.id} />);
    const flags = await screen.findByRole('list', { name: 'Needs attention' });
    expect(flags.textContent).toContain('No lead source');
    expect(flags.textContent).toContain('No lifecycle stage');
    fireEvent.change(screen.getByLabelText('Set lead source for Ana Lima'), { target: { value: 'Webinar' } });
    await waitFor(async () => expect((await db.contacts.get(c.id))?.source.leadSource).toBe('Webinar'));
    fireEvent.change(screen.getByLabelText('Set lifecycle stage for Ana Lima'), { target: { value: 'sql' } });
    await waitFor(async () => expect((await db.contacts.get(c.id))?.lifecycleStage).toBe('sql'));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Needs attention' })).toBeNull());
  });

  it('flags an open deal without a next step and fixes it from the flag', async () => {
    const c = await seedContact();
    const d = await createDeal({ name: 'Acme pilot', pipelineId: 'default', stageId: 'lead', contactIds: [c.id] });
    renderAt(<ContactView contactId={c.id} />);
    const flags = await screen.findByRole('list', { name: 'Needs attention' });
    expect(flags.textContent).toContain('Acme pilot: no next step');
    fireEvent.click(within(flags).getByRole('button', { name: 'Add next step' }));
    const dialog = await screen.findByRole('dialog', { name: 'Set next step' });
    fireEvent.change(within(dialog).getByLabelText('Next step'), { target: { value: 'Book the demo' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'In 3 days' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const saved = await db.deals.get(d.id);
    expect(saved?.nextStep).toEqual({ text: 'Book the demo', dueAt: new Date(2026, 10, 23, 9).getTime() });
    // The next step becomes a reminder the Today list can show.
    const task = await db.tasks.where('dealId').equals(d.id).first();
    expect(task).toMatchObject({ kind: 'next_step', status: 'open', dueAt: saved!.nextStep!.dueAt });
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Needs attention' })).toBeNull());
  });

  it('flags a deal stuck in its stage past the stage limit', async () => {
    const c = await seedContact();
    vi.setSystemTime(NOW - 9 * DAY);
    await createDeal({ name: 'Old lead', pipelineId: 'default', stageId: 'lead', contactIds: [c.id], nextStep: { text: 'Call', dueAt: NOW + DAY } });
    vi.setSystemTime(NOW);
    renderAt(<ContactView contactId={c.id} />);
    const flags = await screen.findByRole('list', { name: 'Needs attention' });
    expect(flags.textContent).toContain('Old lead: 9 days in Lead in (limit 7)');
    expect(within(flags).getByRole('button', { name: 'Plan next step' })).toBeTruthy();
    fireEvent.click(within(flags).getByRole('button', { name: 'Close as lost' }));
    expect(await screen.findByRole('dialog', { name: 'Mark lost' })).toBeTruthy();
  });

  it('edits the contact', async () => {
    const c = await seedContact();
    renderAt(<ContactView contactId={c.id} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Ana Lima' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit contact' });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Ana M. Lima' } });
    fireEvent.change(within(dialog).getByLabelText('Emails'), { target: { value: 'ana@acme.com, not-an-email' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText('not-an-email is not an email address.')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Emails'), { target: { value: 'ana@acme.com, ana.lima@acme.com' } });
    fireEvent.change(within(dialog).getByLabelText('Job title'), { target: { value: 'CFO' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const saved = await db.contacts.get(c.id);
    expect(saved).toMatchObject({ name: 'Ana M. Lima', emails: ['ana@acme.com', 'ana.lima@acme.com'], title: 'CFO' });
    expect(await screen.findByRole('heading', { name: 'Ana M. Lima' })).toBeTruthy();
  });
});
