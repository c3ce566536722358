import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SidePanelApp } from '@/components/panel/SidePanelApp';
import { createContact, createDeal } from '@/lib/db/mutations';
import { fakeLayout, freezeClock, renderAt, seedContact } from './helpers';

vi.mock('@/lib/messaging/client', () => ({ send: vi.fn(async () => ({ ok: true })) }));

let restoreLayout: () => void;
beforeEach(() => {
  freezeClock();
  restoreLayout = fakeLayout();
  history.replaceState(null, '', '/sidepanel.html');
});
afterEach(() => {
  vi.useRealTimers();
  restoreLayout();
});

async function seed() {
  const ana = await seedContact();
  await createContact({ emails: ['zed@globex.io'], name: 'Zed Park', source: { origin: 'manual' } });
  await createDeal({ name: 'Acme expansion', pipelineId: 'default', stageId: 'lead', contactIds: [ana.id] });
  return ana;
}

const results = () => within(screen.getByRole('list', { name: 'Search results' })).getAllByRole('button').map((b) => b.textContent);

describe('Search', () => {
  it('/ focuses search from anywhere and finds contacts, companies and deals by name, email or domain', async () => {
    await seed();
    renderAt(<SidePanelApp />);
    await screen.findByRole('tab', { name: /Today/ });
    fireEvent.keyDown(document.body, { key: '/' });
    const box = await screen.findByRole('searchbox', { name: 'Search contacts, companies and deals' });
    await waitFor(() => expect(document.activeElement).toBe(box));
    expect(screen.getByRole('tab', { name: 'Search' }).getAttribute('aria-selected')).toBe('true');

    fireEvent.change(box, { target: { value: 'acme' } });
    await waitFor(() => expect(results()).toEqual(['Ana Limaana@acme.com(contact)', 'Acmeacme.com(company)', 'Acme expansionopen(deal)']));
    fireEvent.change(box, { target: { value: 'zed@glo' } });
    await waitFor(() => expect(results()).toEqual(['Zed Parkzed@globex.io(contact)']));
    fireEvent.change(box, { target: { value: 'globex.io' } });
    await waitFor(() => expect(results()).toEqual(['Zed Parkzed@globex.io(contact)']));
    fireEvent.change(box, { target: { value: 'nobody' } });
    expect(await screen.findByText('Nothing matches “nobody”')).toBeTruthy();
  });

  it('typing / inside a field types a slash', async () => {
    renderAt(<SidePanelApp />);
    fireEvent.keyDown(document.body, { key: '/' });
    const box = await screen.findByRole('searchbox');
    box.focus();
    const ev = new KeyboardEvent('keydown', { key: '/', bubbles: true, cancelable: true });
    box.dispatchEvent(ev);
    expect(ev.defaultPrevented).toBe(false);
  });

  it('opens a contact, a company and a deal from the results, with Back', async () => {
    await seed();
    renderAt(<SidePanelApp />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Search' }));
    const box = await screen.findByRole('searchbox');
    fireEvent.change(box, { target: { value: 'acme' } });
    fireEvent.click(await screen.findByRole('button', { name: /^Ana Lima/ }));
    expect(await screen.findByRole('region', { name: 'Contact Ana Lima' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    // The query survives the round trip.
    fireEvent.click(await screen.findByRole('button', { name: /^Acme\s*acme\.com/ }));
    const company = await screen.findByRole('region', { name: 'Company Acme' });
    fireEvent.click(within(company).getByRole('button', { name: /Ana Lima/ }));
    expect(await screen.findByRole('region', { name: 'Contact Ana Lima' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    fireEvent.click(await screen.findByRole('button', { name: /^Acme expansion/ }));
    expect(await screen.findByRole('article', { name: 'Deal Acme expansion' })).toBeTruthy();
  });
});
