import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Timeline } from '@/components/panel/Timeline';
import { CONNECTED_KEY } from '@/lib/sync/status';
import { keys } from '@/lib/sync/store';
import { db } from '@/lib/db';
import { addActivities } from '@/lib/db/mutations';
import { DAY, NOW, fakeLayout, freezeClock, renderAt, seedContact, seedEmails } from './helpers';

let restoreLayout: () => void;
beforeEach(() => {
  freezeClock();
  restoreLayout = fakeLayout(400, 40);
});
afterEach(() => {
  vi.useRealTimers();
  restoreLayout();
});

const rows = () => within(screen.getByRole('list', { name: 'Timeline entries' })).getAllByRole('listitem');

describe('timeline', () => {
  it('shows every kind newest first and filters by kind', async () => {
    const c = await seedContact();
    await addActivities([
      { kind: 'email', occurredAt: NOW - 5 * DAY, contactIds: [c.id], subject: 'Intro' },
      { kind: 'meeting', occurredAt: NOW - 4 * DAY, contactIds: [c.id], subject: 'Kick-off' },
      { kind: 'note', occurredAt: NOW - 3 * DAY, contactIds: [c.id], subject: 'Budget is tight' },
      { kind: 'call', occurredAt: NOW - 2 * DAY, contactIds: [c.id], subject: 'Pricing call' },
      { kind: 'stage_change', occurredAt: NOW - DAY, contactIds: [c.id], subject: 'Pilot: Lead in → Discovery' },
      { kind: 'task_done', occurredAt: NOW - 3600_000, contactIds: [c.id], subject: 'Send deck' },
    ]);
    renderAt(<Timeline contactId={c.id} now={NOW} />);
    await screen.findByRole('list', { name: 'Timeline entries' });
    expect(rows().map((r) => r.textContent?.match(/: (.*?)(\d|yesterday|an hour)/)?.[1])).toEqual(['Send deck', 'Pilot: Lead in → Discovery', 'Pricing call', 'Budget is tight', 'Kick-off', 'Intro']);
    expect(rows()[1]!.textContent).toContain('yesterday');
    fireEvent.click(screen.getByRole('button', { name: 'Call' }));
    expect(screen.getByRole('button', { name: 'Call' }).getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]!.textContent).toContain('Pricing call');
    fireEvent.click(screen.getByRole('button', { name: 'Meeting' }));
    await waitFor(() => expect(rows()[0]!.textContent).toContain('Kick-off'));
    fireEvent.click(screen.getByRole('button', { name: 'All' }));
    await waitFor(() => expect(rows()).toHaveLength(6));
  });

  it('shows an empty state, and a new write appears without a reload', async () => {
    const c = await seedContact();
    renderAt(<Timeline contactId={c.id} now={NOW} />);
    expect(await screen.findByText('No activity yet')).toBeTruthy();
    await act(() => addActivities([{ kind: 'note', occurredAt: NOW, contactIds: [c.id], subject: 'Fresh note' }]));
    expect(await screen.findByText('Fresh note')).toBeTruthy();
  });

  it('shows each entry’s sync state: local, queued, synced, failed', async () => {
    const c = await seedContact();
    const { added } = await addActivities([
      { kind: 'email', occurredAt: NOW - 4000, contactIds: [c.id], subject: 'queued one' },
      { kind: 'email', occurredAt: NOW - 3000, contactIds: [c.id], subject: 'synced one' },
      { kind: 'email', occurredAt: NOW - 2000, contactIds: [c.id], subject: 'failed one' },
    ]);
    renderAt(<Timeline contactId={c.id} now={NOW} />);
    await screen.findByRole('list', { name: 'Timeline entries' });
    // Without a CRM every entry is simply local.
    await waitFor(() => expect(rows().map((r) => r.querySelector('[title^="Sync"]')?.textContent)).toEqual(['Local', 'Local', 'Local']));
    await act(async () => {
      await db.syncState.put({ key: CONNECTED_KEY, value: { providerId: 'hubspot', accountName: 'Acme' } });
      const synced = added.find((a) => a.subject === 'synced one')!;
      await db.activities.update(synced.id, { remoteIds: { hubspot: '901' } });
      await db.outbox.where('[entity+entityId]').equals(['activity', synced.id]).delete();
      const failed = added.find((a) => a.subject === 'failed one')!;
      await db.syncState.put({ key: keys.failure('hubspot', 'activity', failed.id), value: { kind: 'activity', entityId: failed.id, message: '400 bad property', httpStatus: 400 } });
    });
    await waitFor(() => {
      const states = Object.fromEntries(rows().map((r) => [r.textContent!.match(/(queued|synced|failed) one/)![0], r.querySelector('[title^="Sync"]')?.textContent]));
      expect(states).toEqual({ 'queued one': 'Queued', 'synced one': 'Synced', 'failed one': 'Sync failed' });
    });
  });

  it('keeps 10,000 entries virtualised and pages in older ones on scroll', async () => {
    const c = await seedContact();
    await seedEmails(c.id, 10_000);
    renderAt(<Timeline contactId={c.id} now={NOW} />);
    await screen.findByRole('list', { name: 'Timeline entries' });
    // 400 px of 40 px rows plus overscan: a handful of rows in the DOM, not 10,000.
    await waitFor(() => expect(rows().length).toBeGreaterThan(5));
    expect(rows().length).toBeLessThan(30);
    expect(rows()[0]!.textContent).toContain('Email 0');
    const scroller = screen.getByTestId('timeline-scroller');
    const list = screen.getByRole('list', { name: 'Timeline entries' });
    // One page (50 rows) is loaded: measured rows are 40 px, the rest still estimated.
    const firstPage = parseInt(list.style.height);
    expect(firstPage).toBeGreaterThanOrEqual(50 * 40);
    expect(firstPage).toBeLessThanOrEqual(50 * 52);
    // Scroll to the end of the first page: the next page loads and the list grows.
    await act(async () => {
      scroller.scrollTop = firstPage - 400;
      scroller.dispatchEvent(new Event('scroll'));
    });
    // fake-indexeddb walks 10k index rows slowly; the real thing is measured in the bench.
    await waitFor(() => expect(parseInt(list.style.height)).toBeGreaterThanOrEqual(firstPage + 50 * 40), { timeout: 20_000 });
    await waitFor(() => expect(rows().some((r) => r.textContent?.includes('Email 45'))).toBe(true));
    expect(rows().length).toBeLessThan(40);
  }, 60_000);
});
