import { HOUR_MS, atWallTime, zonedParts } from './calendar';

export type SnoozePreset = 'hour' | 'tomorrow' | 'nextWeek';

export const SNOOZE_LABELS: Record<SnoozePreset, string> = {
  hour: '1 hour',
  tomorrow: 'Tomorrow 9:00',
  nextWeek: 'Next week (Monday 9:00)',
};

/** A snooze means "in the morning", not "24 h from this second". */
const MORNING = '09:00';

/**
 * When a snoozed task comes back, in the rep's zone. Quiet hours and working days apply later,
 * when the reminder is scheduled, so "1 hour" at 19:30 still waits for the morning.
 */
export function snoozeUntil(preset: SnoozePreset, now: number, tz: string): number {
  switch (preset) {
    case 'hour':
      return now + HOUR_MS;
    case 'tomorrow':
      return atWallTime(now, 1, MORNING, tz);
    case 'nextWeek': {
      const weekday = zonedParts(now, tz).weekday;
      // From a Monday, "next week" is the Monday after, never later today.
      const toMonday = (8 - weekday) % 7 || 7;
      return atWallTime(now, toMonday, MORNING, tz);
    }
  }
}
