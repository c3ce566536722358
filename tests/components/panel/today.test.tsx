import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { TodayView } from '@/components/panel/TodayView';
import { db } from '@/lib/db';
import { createTask, saveSettings, snoozeTask } from '@/lib/db/mutations';
import { DEFAULT_SETTINGS } from '@/lib/model';
import { send } from '@/lib/messaging/client';
import { DAY, NOW, freezeClock, renderAt, seedContact } from './helpers';

vi.mock('@/lib/messaging/client', () => ({ send: vi.fn(async () => ({ ok: true })) }));

beforeEach(() => {
  freezeClock();
  vi.mocked(send).mockClear();
});
afterEach(() => vi.useRealTimers());

const THREAD = 'https://mail.google.com/mail/u/0/#inbox/abc';

async function seedTasks() {
  const c = await seedContact();
  await createTask({ kind: 'follow_up', title: 'Send the deck', dueAt: NOW - 2 * DAY, contactId: c.id });
  await createTask({ kind: 'no_reply', title: 'No reply from Ana', dueAt: NOW - 3600_000, contactId: c.id, sourceUrl: THREAD, ruleKey: 'no_reply:1' });
  await createTask({ kind: 'stale_deal', title: 'Pilot is stale', dueAt: NOW, contactId: c.id, ruleKey: 'stale:1' });
  await createTask({ kind: 're_engage', title: 'Re-engage Ana', dueAt: NOW - 10 * DAY, contactId: c.id, ruleKey: 're:1' });
  await createTask({ kind: 'missing_next_step', title: 'Pilot has no next step', dueAt: NOW + 60_000, ruleKey: 'mns:1' });
  await createTask({ kind: 'next_step', title: 'Book demo (Pilot)', dueAt: new Date(2026, 10, 20, 17).getTime(), contactId: c.id });
  await createTask({ kind: 'follow_up', title: 'Next month thing', dueAt: NOW + 20 * DAY });
  const snoozed = await createTask({ kind: 'follow_up', title: 'Snoozed away', dueAt: NOW - DAY });
  await snoozeTask(snoozed.id, NOW + 2 * DAY);
  return c;
}

const titles = (group: string) =>
  within(screen.getByRole('region', { name: group }))
    .getAllByRole('article')
    .map((a) => a.getAttribute('aria-label'));

describe('Today', () => {
  it('lists overdue and due tasks and every kind of nudge, soonest first', async () => {
    await seedTasks();
    renderAt(<TodayView onOpenContact={() => {}} />);
    await screen.findByRole('region', { name: 'Overdue' });
    expect(titles('Overdue')).toEqual(['Re-engage Ana', 'Send the deck']);
    expect(titles('Due today')).toEqual(['No reply from Ana', 'Pilot is stale', 'Pilot has no next step', 'Book demo (Pilot)']);
    const noReply = screen.getByRole('article', { name: 'No reply from Ana' });
    expect(noReply.textContent).toContain('No reply');
    expect(noReply.textContent).toContain('Ana Lima');
    expect(noReply.textContent).toContain('due 1 hour ago');
    expect(screen.queryByText('Next month thing')).toBeNull();
    expect(screen.queryByText('Snoozed away')).toBeNull();
  });

  it('Done closes the task and leaves a trace on the timeline', async () => {
    const c = await seedTasks();
    renderAt(<TodayView onOpenContact={() => {}} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Done: Send the deck' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Send the deck' })).toBeNull());
    const t = await db.tasks.filter((x) => x.title === 'Send the deck').first();
    expect(t).toMatchObject({ status: 'done', completedAt: NOW });
    expect(await db.timeline.where('[contactId+occurredAt]').equals([c.id, NOW]).count()).toBe(1);
    expect(send).toHaveBeenCalledWith('storeChanged', { tables: ['tasks', 'activities', 'outbox'] });
  });

  it('Snooze offers 1 hour, tomorrow 9:00 and next week', async () => {
    await seedTasks();
    renderAt(<TodayView onOpenContact={() => {}} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Snooze: Pilot is stale' }));
    const group = screen.getByRole('group', { name: 'Snooze Pilot is stale until' });
    expect(within(group).getAllByRole('button').map((b) => b.textContent)).toEqual(['1 hour', 'Tomorrow 9:00', 'Next week (Monday 9:00)']);
    fireEvent.click(within(group).getByRole('button', { name: 'Tomorrow 9:00' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Pilot is stale' })).toBeNull());
    expect((await db.tasks.filter((x) => x.title === 'Pilot is stale').first())?.snoozedUntil).toBe(new Date(2026, 10, 21, 9).getTime());
    // An hour's snooze keeps it on today's list, now due later.
    fireEvent.click(screen.getByRole('button', { name: 'Snooze: Book demo (Pilot)' }));
    fireEvent.click(within(screen.getByRole('group', { name: 'Snooze Book demo (Pilot) until' })).getByRole('button', { name: '1 hour' }));
    await waitFor(async () => expect((await db.tasks.filter((x) => x.title === 'Book demo (Pilot)').first())?.snoozedUntil).toBe(NOW + 3600_000));
  });

  it('snoozes to 9:00 in the zone set for reminders, as the notification button does', async () => {
    // Tokyo is UTC+9 all year with no DST: 09:00 there is 00:00 UTC of the same date. NOW is a
    // local time of whatever zone runs the tests, so take Tokyo's calendar date of NOW from Intl.
    const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(NOW).split('-').map(Number);
    await saveSettings({ reminders: { ...DEFAULT_SETTINGS.reminders, timeZone: 'Asia/Tokyo' } });
    await seedTasks();
    renderAt(<TodayView onOpenContact={() => {}} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Snooze: Pilot is stale' }));
    fireEvent.click(within(screen.getByRole('group', { name: 'Snooze Pilot is stale until' })).getByRole('button', { name: 'Tomorrow 9:00' }));
    await waitFor(async () => expect((await db.tasks.filter((x) => x.title === 'Pilot is stale').first())?.snoozedUntil).toBe(Date.UTC(y!, m! - 1, d! + 1, 0)));
  });

  it('Open focuses the tab showing the thread, or opens it', async () => {
    await seedTasks();
    const tab = await fakeBrowser.tabs.create({ url: THREAD, active: false });
    const update = vi.spyOn(fakeBrowser.tabs, 'update');
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    renderAt(<TodayView onOpenContact={() => {}} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Open: No reply from Ana' }));
    await waitFor(() => expect(update).toHaveBeenCalledWith(tab.id, { active: true }));
    expect(create).not.toHaveBeenCalled();
    // The thread's tab was closed meanwhile.
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValueOnce([] as never);
    fireEvent.click(screen.getByRole('button', { name: 'Open: No reply from Ana' }));
    await waitFor(() => expect(create).toHaveBeenCalledWith({ url: THREAD }));
  });

  it('Open without a thread opens the contact in the panel', async () => {
    const c = await seedTasks();
    const onOpen = vi.fn();
    renderAt(<TodayView onOpenContact={onOpen} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Open: Send the deck' }));
    expect(onOpen).toHaveBeenCalledWith(c.id);
    expect(screen.queryByRole('button', { name: 'Open: Pilot has no next step' })).toBeNull();
  });

  it('has an empty state', async () => {
    renderAt(<TodayView onOpenContact={() => {}} />);
    expect(await screen.findByText('Nothing due today')).toBeTruthy();
  });
});
