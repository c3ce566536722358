import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SidePanelApp } from '@/components/panel/SidePanelApp';
import { db } from '@/lib/db';
import { createContact, saveSettings } from '@/lib/db/mutations';
import { send } from '@/lib/messaging/client';
import type { PageContext } from '@/lib/model';
import { NOW, fakeLayout, freezeClock, renderAt, seedContact } from './helpers';

vi.mock('@/lib/messaging/client', () => ({ send: vi.fn() }));

const TAB = 7;
const thread = (over: Partial<PageContext> = {}): PageContext => ({
  site: 'gmail',
  view: 'thread',
  key: 'gmail:thread:abc',
  url: 'https://mail.google.com/mail/u/0/#inbox/abc',
  subject: 'Pricing for Q1',
  people: [
    { email: 'me@mycorp.com', name: 'Me', role: 'from', self: true },
    { email: 'ana@acme.com', name: 'Ana Lima', role: 'to' },
    { email: 'bo@acme.com', name: 'Bo Chen', role: 'cc' },
  ],
  messages: [],
  ...over,
});

let restoreLayout: () => void;
beforeEach(async () => {
  freezeClock();
  restoreLayout = fakeLayout();
  history.replaceState(null, '', `/sidepanel.html?tabId=${TAB}`);
  vi.mocked(send).mockReset();
  vi.mocked(send).mockImplementation((async (name: string) => {
    if (name === 'logPage') return { key: 'gmail:thread:abc', added: 2, existing: 0, contactsCreated: 1, contactIds: [], skipped: [{ email: 'me@mycorp.com', reason: 'self' }], needsDeal: [], suggestions: [], state: 'logged' };
    return { ok: true };
  }) as never);
});
afterEach(() => {
  vi.useRealTimers();
  restoreLayout();
});

async function showPage(ctx: PageContext | null) {
  await act(async () => {
    if (ctx) await fakeBrowser.storage.session.set({ [`tab:${TAB}`]: ctx });
    else await fakeBrowser.storage.session.remove(`tab:${TAB}`);
  });
}

describe('beside a thread', () => {
  it('follows the pinned tab and shows the detected people, not the user', async () => {
    await seedContact();
    await showPage(thread());
    renderAt(<SidePanelApp />);
    const people = await screen.findByRole('list', { name: 'People on this page' });
    expect(within(people).getAllByRole('button').map((b) => b.textContent)).toEqual(['Ana Lima', 'Bo Chennew']);
    expect(people.textContent).not.toContain('Me');
    // The known person opens first, with the full contact view.
    expect(await screen.findByRole('region', { name: 'Contact Ana Lima' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Thread' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('also hides the user’s own addresses from settings', async () => {
    await saveSettings({ selfEmails: ['bo@acme.com'] });
    await showPage(thread());
    renderAt(<SidePanelApp />);
    const people = await screen.findByRole('list', { name: 'People on this page' });
    await waitFor(() => expect(within(people).getAllByRole('button')).toHaveLength(1));
  });

  it('says in-page capture is limited when the site UI could not mount', async () => {
    await showPage(thread({ inPageUi: false }));
    renderAt(<SidePanelApp />);
    expect((await screen.findByRole('note')).textContent).toMatch(/in-page capture is limited on this page.*but logging from this panel works/i);
  });

  it('logs the thread through the background and shows the receipt', async () => {
    await showPage(thread());
    renderAt(<SidePanelApp />);
    fireEvent.click(await screen.findByRole('button', { name: 'Log this thread' }));
    expect((await screen.findByText(/Logged: 2 new/)).textContent).toContain('1 contact created');
    expect(send).toHaveBeenCalledWith('logPage', { tabId: TAB });
  });

  it('shows a log failure with a retry', async () => {
    vi.mocked(send).mockRejectedValueOnce(new Error('Nothing to log on this page'));
    await showPage(thread());
    renderAt(<SidePanelApp />);
    fireEvent.click(await screen.findByRole('button', { name: 'Log this thread' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Nothing to log on this page');
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText(/Logged: 2 new/)).toBeTruthy();
  });

  it('creates a contact from a detected person after showing possible duplicates', async () => {
    await seedContact();
    // Same name, another address: maybe the same person.
    await createContact({ emails: ['bo.chen@gmail.com'], name: 'Bo Chen', source: { origin: 'manual' } });
    await showPage(thread());
    renderAt(<SidePanelApp />);
    fireEvent.click(await screen.findByRole('button', { name: /^Bo Chen/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create contact' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create contact' });
    const dups = await within(dialog).findByRole('list');
    const items = within(dups).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toHaveLength(2);
    expect(items.find((t) => t?.includes('bo.chen@gmail.com'))).toContain('same name');
    expect(items.find((t) => t?.includes('ana@acme.com'))).toContain('same company domain');
    fireEvent.change(within(dialog).getByLabelText('Lead source'), { target: { value: 'Referral' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create contact' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const bo = await db.contacts.where('emails').equals('bo@acme.com').first();
    expect(bo).toMatchObject({ name: 'Bo Chen', lifecycleStage: 'lead', source: { origin: 'manual', site: 'gmail', leadSource: 'Referral' } });
    expect(bo!.companyId).toBe((await db.companies.where('domain').equals('acme.com').first())!.id);
    expect(await screen.findByRole('region', { name: 'Contact Bo Chen' })).toBeTruthy();
  });

  it('“Same person” adds the address to the existing contact instead', async () => {
    const other = await createContact({ emails: ['bo.chen@gmail.com'], name: 'Bo Chen', source: { origin: 'manual' } });
    await showPage(thread({ people: [{ email: 'bo@acme.com', name: 'Bo Chen', role: 'to' }] }));
    renderAt(<SidePanelApp />);
    fireEvent.click(await screen.findByRole('button', { name: 'Create contact' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create contact' });
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Add bo@acme.com to Bo Chen' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await db.contacts.get(other.id))?.emails).toEqual(['bo.chen@gmail.com', 'bo@acme.com']);
    expect(await db.contacts.count()).toBe(1);
  });

  it('switches with the tab: leaving the thread falls back to Today', async () => {
    await showPage(thread());
    renderAt(<SidePanelApp />);
    await screen.findByRole('list', { name: 'People on this page' });
    await showPage(null);
    await waitFor(() => expect(screen.getByRole('tab', { name: 'Today' }).getAttribute('aria-selected')).toBe('true'));
    expect(screen.queryByRole('tab', { name: 'Thread' })).toBeNull();
    await showPage(thread({ key: 'gcal:event:1', view: 'event', site: 'google-calendar', subject: 'Demo', url: 'https://calendar.google.com/calendar/r/eventedit/1' }));
    expect(await screen.findByRole('button', { name: 'Log this event' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Event' }).getAttribute('aria-selected')).toBe('true');
    expect(NOW).toBeGreaterThan(0);
  });
});
