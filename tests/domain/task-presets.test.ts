import { describe, expect, it } from 'vitest';
import { duePreset, nextWeekStart } from '@/lib/domain/task-presets';

// Friday 20 Nov 2026, 15:00 local.
const NOW = new Date(2026, 10, 20, 15, 0).getTime();

describe('task presets', () => {
  it('due presets land at nine in the morning', () => {
    expect(duePreset('tomorrow', NOW)).toBe(new Date(2026, 10, 21, 9).getTime());
    expect(duePreset('in3days', NOW)).toBe(new Date(2026, 10, 23, 9).getTime());
    expect(duePreset('nextWeek', NOW)).toBe(new Date(2026, 10, 23, 9).getTime());
  });

  it('next week from a Monday is the following Monday', () => {
    const monday = new Date(2026, 10, 23, 8).getTime();
    expect(nextWeekStart(monday)).toBe(new Date(2026, 10, 30, 9).getTime());
    const sunday = new Date(2026, 10, 22, 20).getTime();
    expect(nextWeekStart(sunday)).toBe(new Date(2026, 10, 23, 9).getTime());
  });

  it('crosses month and year ends', () => {
    expect(duePreset('in3days', new Date(2026, 11, 30, 10).getTime())).toBe(new Date(2027, 0, 2, 9).getTime());
  });
});
