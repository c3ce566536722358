import { PageContext, type Person } from '@/lib/model';

export const ME = 'rep@northwind.io';
export const T0 = Date.UTC(2026, 10, 2, 9, 0);
export const HOUR = 3600_000;

export const p = (email: string, role: Person['role'], name?: string, self?: boolean): Person => ({ email, role, name, self });

/** A Gmail thread: me ↔ two people at acme.com, one reply from a no-reply address. */
export function thread(overrides: Partial<PageContext> = {}, messageCount = 3): PageContext {
  const jane = p('jane@acme.com', 'from', 'Jane Doe');
  const bob = p('bob@acme.com', 'cc', 'Bob Stone');
  const me = p(ME, 'from', 'me', true);
  const all = [
    { id: 'm1', from: jane, to: [p(ME, 'to', undefined, true), bob], date: T0, snippet: 'Can we talk pricing?', body: 'Can we talk pricing? Full text.' },
    { id: 'm2', from: me, to: [p('jane@acme.com', 'to', 'Jane Doe'), bob], date: T0 + HOUR, snippet: 'Sure, Tuesday?', body: 'Sure, Tuesday? Full.' },
    { id: 'm3', from: p('bob@acme.com', 'from', 'Bob Stone'), to: [p(ME, 'to', undefined, true)], date: T0 + 2 * HOUR, snippet: 'Tuesday works', body: 'Tuesday works. Full.' },
    { id: 'm4', from: p('no-reply@acme.com', 'from', 'Acme Notifications'), to: [p(ME, 'to', undefined, true)], date: T0 + 3 * HOUR, snippet: 'Your invoice', body: 'Invoice body' },
  ].slice(0, messageCount);
  return PageContext.parse({
    site: 'gmail',
    view: 'thread',
    key: 'thread-abc',
    url: 'https://mail.google.com/mail/u/0/#inbox/thread-abc',
    subject: 'Pricing for Q1',
    people: [jane, bob, me, p('no-reply@acme.com', 'from', 'Acme Notifications')],
    messages: all,
    ...overrides,
  });
}

export function event(overrides: Partial<PageContext> = {}): PageContext {
  return PageContext.parse({
    site: 'google-calendar',
    view: 'event',
    key: 'evt-1',
    url: 'https://calendar.google.com/calendar/u/0/r/week',
    subject: 'Acme onboarding call',
    people: [p(ME, 'organizer', 'Rep', true), p('jane@acme.com', 'attendee', 'Jane Doe'), p('carol@globex.com', 'attendee')],
    start: T0 + 24 * HOUR,
    end: T0 + 25 * HOUR,
    ...overrides,
  });
}
