import { describe, expect, it } from 'vitest';
import { addBusinessDays, nextAllowedTime, resolveZone, zonedParts, zonedToEpoch } from '@/lib/reminders/calendar';
import { snoozeUntil } from '@/lib/reminders/snooze';

const MON_FRI = [1, 2, 3, 4, 5];
const iso = (s: string) => Date.parse(s);

describe('zoned wall-clock math', () => {
  it('reads wall time and weekday in a zone', () => {
    // Friday 12:00 UTC is already Saturday 02:00 on Kiritimati (UTC+14).
    expect(zonedParts(iso('2026-11-20T12:00:00Z'), 'Pacific/Kiritimati')).toMatchObject({ year: 2026, month: 11, day: 21, hour: 2, weekday: 6 });
    expect(zonedParts(iso('2026-11-20T12:00:00Z'), 'UTC')).toMatchObject({ day: 20, hour: 12, weekday: 5 });
  });

  it('maps wall time to an instant on both sides of a DST change', () => {
    expect(zonedToEpoch(2026, 10, 24, 9, 0, 'Europe/Berlin')).toBe(iso('2026-10-24T07:00:00Z')); // CEST
    expect(zonedToEpoch(2026, 10, 26, 9, 0, 'Europe/Berlin')).toBe(iso('2026-10-26T08:00:00Z')); // CET
  });

  it('pushes a time inside the spring-forward gap past the gap', () => {
    // 02:30 does not exist in Berlin on 2026-03-29; clocks jump from 02:00 to 03:00.
    expect(zonedToEpoch(2026, 3, 29, 2, 30, 'Europe/Berlin')).toBe(iso('2026-03-29T01:30:00Z'));
  });

  it('falls back from an unknown zone to a real one', () => {
    expect(() => zonedParts(0, resolveZone('Not/AZone'))).not.toThrow();
    expect(resolveZone('Asia/Tokyo')).toBe('Asia/Tokyo');
  });
});

describe('addBusinessDays', () => {
  it('skips the weekend: Friday + 3 business days is Wednesday, same wall time', () => {
    const fri = iso('2026-11-20T16:00:00Z');
    expect(addBusinessDays(fri, 3, MON_FRI, 'UTC')).toBe(iso('2026-11-25T16:00:00Z'));
  });

  it('counts from a weekend send as if from the Friday before', () => {
    const sat = iso('2026-11-21T10:00:00Z');
    expect(addBusinessDays(sat, 3, MON_FRI, 'UTC')).toBe(iso('2026-11-25T10:00:00Z'));
  });

  it('keeps the wall time across a DST change (not 24 h multiples)', () => {
    // Friday 16:00 CEST; DST ends Sunday 25 Oct; Wednesday 16:00 is CET.
    const fri = iso('2026-10-23T14:00:00Z');
    expect(addBusinessDays(fri, 3, MON_FRI, 'Europe/Berlin')).toBe(iso('2026-10-28T15:00:00Z'));
    // The same in New York, whose DST ends a week later (1 Nov).
    const nyFri = iso('2026-10-30T20:00:00Z'); // 16:00 EDT
    expect(addBusinessDays(nyFri, 1, MON_FRI, 'America/New_York')).toBe(iso('2026-11-02T21:00:00Z')); // Mon 16:00 EST
  });

  it('uses the rep\'s weekday, not UTC\'s, far from UTC', () => {
    // UTC Friday noon = Kiritimati Saturday 02:00: three business days land on local Wednesday.
    const t = iso('2026-11-20T12:00:00Z');
    expect(addBusinessDays(t, 3, MON_FRI, 'Pacific/Kiritimati')).toBe(iso('2026-11-24T12:00:00Z'));
    expect(addBusinessDays(t, 3, MON_FRI, 'UTC')).toBe(iso('2026-11-25T12:00:00Z'));
  });

  it('honours a custom working week (Sunday–Thursday)', () => {
    const thu = iso('2026-11-19T09:00:00Z');
    expect(addBusinessDays(thu, 1, [0, 1, 2, 3, 4], 'UTC')).toBe(iso('2026-11-22T09:00:00Z'));
  });
});

describe('quiet hours and working days', () => {
  const rules = { quietHours: { start: '20:00', end: '08:00' }, workingDays: MON_FRI };

  it('leaves an allowed time alone', () => {
    const t = iso('2026-11-23T10:00:00Z');
    expect(nextAllowedTime(t, rules, 'UTC')).toBe(t);
  });

  it('defers a late-evening reminder to the end of quiet hours', () => {
    expect(nextAllowedTime(iso('2026-11-23T21:30:00Z'), rules, 'UTC')).toBe(iso('2026-11-24T08:00:00Z'));
    expect(nextAllowedTime(iso('2026-11-24T03:00:00Z'), rules, 'UTC')).toBe(iso('2026-11-24T08:00:00Z'));
  });

  it('defers Friday night to Monday morning in the rep\'s zone', () => {
    // Friday 21:30 in New York (02:30Z Saturday): Monday 08:00 EST.
    expect(nextAllowedTime(iso('2026-11-21T02:30:00Z'), rules, 'America/New_York')).toBe(iso('2026-11-23T13:00:00Z'));
  });

  it('without quiet hours, a weekend reminder waits for 09:00 on the next working day', () => {
    expect(nextAllowedTime(iso('2026-11-22T15:00:00Z'), { quietHours: null, workingDays: MON_FRI }, 'UTC')).toBe(iso('2026-11-23T09:00:00Z'));
  });

  it('handles quiet hours that do not wrap midnight', () => {
    const lunch = { quietHours: { start: '12:00', end: '13:00' }, workingDays: MON_FRI };
    expect(nextAllowedTime(iso('2026-11-23T12:15:00Z'), lunch, 'UTC')).toBe(iso('2026-11-23T13:00:00Z'));
  });
});

describe('snooze presets', () => {
  const mon = iso('2026-11-23T15:20:00Z');
  it('1 hour', () => expect(snoozeUntil('hour', mon, 'UTC')).toBe(mon + 3_600_000));
  it('tomorrow at 9:00 in the rep\'s zone', () => {
    expect(snoozeUntil('tomorrow', mon, 'UTC')).toBe(iso('2026-11-24T09:00:00Z'));
    expect(snoozeUntil('tomorrow', mon, 'Asia/Tokyo')).toBe(iso('2026-11-25T00:00:00Z')); // Tue 00:20 JST → Wed 09:00 JST
  });
  it('next week is the next Monday at 9:00, a full week from a Monday', () => {
    expect(snoozeUntil('nextWeek', mon, 'UTC')).toBe(iso('2026-11-30T09:00:00Z'));
    expect(snoozeUntil('nextWeek', iso('2026-11-27T10:00:00Z'), 'UTC')).toBe(iso('2026-11-30T09:00:00Z'));
  });
});
