/** Work starts at nine: a follow-up "tomorrow" means tomorrow morning, not 24 h from this second. */
export const WORKDAY_START_HOUR = 9;

export type DuePreset = 'tomorrow' | 'in3days' | 'nextWeek';

export const DUE_PRESETS: { id: DuePreset; label: string }[] = [
  { id: 'tomorrow', label: 'Tomorrow' },
  { id: 'in3days', label: 'In 3 days' },
  { id: 'nextWeek', label: 'Next week' },
];

function atHour(base: Date, addDays: number, hour = WORKDAY_START_HOUR): number {
  const d = new Date(base.getFullYear(), base.getMonth(), base.getDate() + addDays, hour, 0, 0, 0);
  return d.getTime();
}

/** Next Monday at nine; from a Monday it is the Monday after. */
export function nextWeekStart(now: number): number {
  const d = new Date(now);
  const toMonday = ((8 - d.getDay()) % 7) || 7;
  return atHour(d, toMonday);
}

export function duePreset(p: DuePreset, now: number): number {
  const d = new Date(now);
  switch (p) {
    case 'tomorrow':
      return atHour(d, 1);
    case 'in3days':
      return atHour(d, 3);
    case 'nextWeek':
      return nextWeekStart(now);
  }
}
