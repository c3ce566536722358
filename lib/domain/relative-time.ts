const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Calendar-day distance in the local zone, so "yesterday" means the previous date, not 24 h ago. */
export function dayDiff(t: number, now: number): number {
  const a = new Date(t);
  const b = new Date(now);
  const da = Date.UTC(a.getFullYear(), a.getMonth(), a.getDate());
  const db = Date.UTC(b.getFullYear(), b.getMonth(), b.getDate());
  return Math.round((da - db) / DAY);
}

/** "just now", "5 min ago", "3 hours ago", "yesterday", "12 days ago", "in 3 days", "tomorrow". */
export function relativeTime(t: number, now: number): string {
  const delta = t - now;
  const abs = Math.abs(delta);
  const past = delta < 0;
  if (abs < MIN) return 'just now';
  if (abs < HOUR) {
    const m = Math.round(abs / MIN);
    return past ? `${m} min ago` : `in ${m} min`;
  }
  const days = dayDiff(t, now);
  if (days === 0) {
    const h = Math.round(abs / HOUR);
    const unit = h === 1 ? 'hour' : 'hours';
    return past ? `${h} ${unit} ago` : `in ${h} ${unit}`;
  }
  if (days === -1) return 'yesterday';
  if (days === 1) return 'tomorrow';
  const n = Math.abs(days);
  if (n < 45) return past ? `${n} days ago` : `in ${n} days`;
  const months = Math.round(n / 30.44);
  if (months < 12) return past ? `${months} ${months === 1 ? 'month' : 'months'} ago` : `in ${months} ${months === 1 ? 'month' : 'months'}`;
  const years = Math.round(n / 365.25);
  return past ? `${years} ${years === 1 ? 'year' : 'years'} ago` : `in ${years} ${years === 1 ? 'year' : 'years'}`;
}

/** Whole days elapsed from `from` to `now` (never negative). */
export function daysSince(from: number, now: number): number {
  return Math.max(0, Math.floor((now - from) / DAY));
}

export function startOfDay(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function endOfDay(t: number): number {
  const d = new Date(t);
  d.setHours(23, 59, 59, 999);
  return d.getTime();
}

/** `yyyy-mm-dd` in the local zone, for <input type="date">. */
export function toDateInput(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Parses `yyyy-mm-dd` as a local date at the given hour; undefined when malformed. */
export function fromDateInput(s: string, hour = 9): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [y, mo, day] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const d = new Date(y, mo, day, hour, 0, 0, 0);
  // Date rolls "2026-13-45" over into 2027; a typed date that does not exist is no date.
  return d.getFullYear() === y && d.getMonth() === mo && d.getDate() === day ? d.getTime() : undefined;
}

export { MIN as MINUTE_MS, HOUR as HOUR_MS, DAY as DAY_MS };
