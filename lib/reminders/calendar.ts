/**
 * Wall-clock math in a named IANA zone, pure and clock-free. Reminders and nudges use the
 * rep's working week (settings.reminders), which is not the UTC week: a Friday in Auckland is
 * still Thursday in UTC, and a DST change makes some days 23 or 25 hours long.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export interface ZonedParts {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The settings' zone if it is a real one, else the browser's, else UTC. */
export function resolveZone(tz: string | undefined): string {
  const candidates = [tz, safeLocalZone(), 'UTC'];
  for (const c of candidates) {
    if (!c) continue;
    try {
      formatter(c);
      return c;
    } catch {
      // An unknown zone name (typo, or removed from the browser's tz data): try the next.
    }
  }
  return 'UTC';
}

function safeLocalZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function partsFromFormatter(ms: number, tz: string): ZonedParts {
  const out: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    weekday: WEEKDAYS[out.weekday ?? 'Sun'] ?? 0,
  };
}

/**
 * Zone offsets only change at transitions, and every real transition falls on a quarter hour
 * of UTC: one Intl lookup per zone and quarter hour, then plain UTC arithmetic. Intl's
 * formatToParts is slow enough to dominate a rule pass over thousands of emails otherwise.
 */
const QUARTER_MS = 15 * 60_000;
const offsetCache = new Map<string, Map<number, number>>();

function cachedOffset(ms: number, tz: string): number {
  let byQuarter = offsetCache.get(tz);
  if (!byQuarter) offsetCache.set(tz, (byQuarter = new Map()));
  const q = Math.floor(ms / QUARTER_MS);
  let off = byQuarter.get(q);
  if (off === undefined) {
    if (byQuarter.size > 50_000) byQuarter.clear();
    const p = partsFromFormatter(q * QUARTER_MS, tz);
    off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - q * QUARTER_MS;
    byQuarter.set(q, off);
  }
  return off;
}

export function zonedParts(ms: number, tz: string): ZonedParts {
  const d = new Date(ms + cachedOffset(ms, tz));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}

/** Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(ms: number, tz: string): number {
  return cachedOffset(ms, tz);
}

/**
 * The instant a wall-clock time happens in a zone. Day overflow is allowed (day 32 = next
 * month). In a spring-forward gap the time is pushed past the gap, as clocks do.
 */
export function zonedToEpoch(year: number, month: number, day: number, hour: number, minute: number, tz: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetAt(guess, tz);
  const second = guess - offsetAt(first, tz);
  if (first === second) return first;
  // The two offsets disagree only near a transition: take the candidate whose wall time matches,
  // or, inside a gap, the later one.
  const p = zonedParts(second, tz);
  return p.hour === hour && p.minute === minute ? second : Math.max(first, second);
}

/** Midnight-relative wall time `HH:MM` → minutes. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The same wall time `days` calendar days later in the zone (not days × 24 h: DST days differ). */
export function addZonedDays(ms: number, days: number, tz: string): number {
  const p = zonedParts(ms, tz);
  return zonedToEpoch(p.year, p.month, p.day + days, p.hour, p.minute, tz);
}

/** `HH:MM` on the calendar day `days` after the one `ms` falls on, in the zone. */
export function atWallTime(ms: number, days: number, hhmm: string, tz: string): number {
  const p = zonedParts(ms, tz);
  const mins = minutesOf(hhmm);
  return zonedToEpoch(p.year, p.month, p.day + days, Math.floor(mins / 60), mins % 60, tz);
}

function workingSet(workingDays: readonly number[]): Set<number> {
  // An empty working week would make every business-day sum infinite: treat it as every day.
  return new Set(workingDays.length ? workingDays : [0, 1, 2, 3, 4, 5, 6]);
}

/**
 * The same wall time on the n-th working day after the day of `start`. A message sent on
 * Friday at 16:00 with n = 3 is due Wednesday at 16:00; one sent on Saturday, Wednesday too.
 */
export function addBusinessDays(start: number, n: number, workingDays: readonly number[], tz: string): number {
  const work = workingSet(workingDays);
  const p = zonedParts(start, tz);
  let counted = 0;
  let offset = 0;
  while (counted < n) {
    offset++;
    const weekday = (p.weekday + offset) % 7;
    if (work.has(weekday)) counted++;
  }
  return zonedToEpoch(p.year, p.month, p.day + offset, p.hour, p.minute, tz);
}

export interface QuietRules {
  quietHours: { start: string; end: string } | null;
  workingDays: readonly number[];
}

/** When the working day starts: the end of quiet hours, else nine. */
export function dayStartOf(r: QuietRules): string {
  return r.quietHours?.end ?? '09:00';
}

function inQuiet(minute: number, q: { start: string; end: string }): boolean {
  const s = minutesOf(q.start);
  const e = minutesOf(q.end);
  if (s === e) return false;
  // 20:00–08:00 wraps midnight; 12:00–13:00 does not.
  return s < e ? minute >= s && minute < e : minute >= s || minute < e;
}

/**
 * The first moment at or after `ms` when a notification may interrupt: outside quiet hours
 * and on a working day. A 22:00 reminder waits until 08:00; a Saturday one until Monday.
 */
export function nextAllowedTime(ms: number, rules: QuietRules, tz: string): number {
  const work = workingSet(rules.workingDays);
  let t = ms;
  // Each step moves to a later day start or quiet-hours end, so a week's worth always settles.
  for (let i = 0; i < 16; i++) {
    const p = zonedParts(t, tz);
    const minute = p.hour * 60 + p.minute;
    if (!work.has(p.weekday)) {
      let d = 1;
      while (!work.has((p.weekday + d) % 7)) d++;
      t = atWallTime(t, d, dayStartOf(rules), tz);
      continue;
    }
    if (rules.quietHours && inQuiet(minute, rules.quietHours)) {
      const end = minutesOf(rules.quietHours.end);
      t = atWallTime(t, minute < end ? 0 : 1, rules.quietHours.end, tz);
      continue;
    }
    return t;
  }
  return t;
}

/** Calendar-day index of an instant in the zone, for "same day" comparisons. */
export function zonedDayNumber(ms: number, tz: string): number {
  const p = zonedParts(ms, tz);
  return Math.floor(Date.UTC(p.year, p.month - 1, p.day) / DAY_MS);
}
