import { describe, expect, it } from 'vitest';
import { daysSince, dayDiff, fromDateInput, relativeTime, toDateInput } from '@/lib/domain/relative-time';

// Local wall-clock times so the assertions hold in any time zone.
const NOW = new Date(2026, 10, 20, 15, 0, 0).getTime();
const at = (d: number, h = 15, m = 0) => new Date(2026, 10, d, h, m).getTime();

describe('relativeTime', () => {
  it('says minutes, hours, yesterday and days', () => {
    expect(relativeTime(NOW - 20_000, NOW)).toBe('just now');
    expect(relativeTime(at(20, 14, 55), NOW)).toBe('5 min ago');
    expect(relativeTime(at(20, 12), NOW)).toBe('3 hours ago');
    expect(relativeTime(at(19, 23), NOW)).toBe('yesterday');
    expect(relativeTime(at(8), NOW)).toBe('12 days ago');
    expect(relativeTime(at(21, 9), NOW)).toBe('tomorrow');
    expect(relativeTime(at(23, 9), NOW)).toBe('in 3 days');
    expect(relativeTime(new Date(2026, 5, 20).getTime(), NOW)).toBe('5 months ago');
    expect(relativeTime(new Date(2024, 10, 20).getTime(), NOW)).toBe('2 years ago');
  });

  it('counts calendar days, not 24-hour blocks', () => {
    expect(dayDiff(at(19, 23, 59), at(20, 0, 1))).toBe(-1);
    expect(daysSince(at(8), NOW)).toBe(12);
    expect(daysSince(NOW + 1000, NOW)).toBe(0);
  });

  it('round-trips date inputs and rejects junk', () => {
    expect(toDateInput(NOW)).toBe('2026-11-20');
    expect(fromDateInput('2026-11-20')).toBe(new Date(2026, 10, 20, 9).getTime());
    expect(fromDateInput('20/11/2026')).toBeUndefined();
    // A date that does not exist is refused, not rolled over into another month or year.
    expect(fromDateInput('2026-13-45')).toBeUndefined();
    expect(fromDateInput('2026-02-30')).toBeUndefined();
    expect(fromDateInput('2028-02-29')).toBe(new Date(2028, 1, 29, 9).getTime());
  });
});
