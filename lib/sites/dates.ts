/**
 * Dates shown as text, English formats only. Other UI languages return undefined so callers
 * omit the date instead of guessing; machine-readable attributes are always tried first.
 * Times are read in the browser's time zone, which is the one the page renders in.
 */

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const RANGE_SEP = /\s*(?:–|—|\s-\s|\bto\b|\buntil\b)\s*/i;

interface Ymd {
  y?: number;
  m: number;
  d: number;
}

function monthOf(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return -1;
  return MONTHS.findIndex((m) => m.startsWith(w) && (w.length >= 3 && (w.length <= 4 || m === w)));
}

/** The date part of a text: "Dec 4, 2014", "4 Dec 2014", "Wednesday, April 26"; `rest` is what follows. */
function findDate(s: string): { ymd: Ymd; rest: string; before: string } | null {
  const re = /\b([a-z]{3,9}\.?)\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?|\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+([a-z]{3,9}\.?)(?:,?\s+(\d{4})\b)?/gi;
  for (const m of s.matchAll(re)) {
    const word = m[1] ?? m[5]!;
    const mon = monthOf(word);
    if (mon < 0) continue;
    const d = Number(m[2] ?? m[4]);
    if (d < 1 || d > 31) continue;
    const yTxt = m[3] ?? m[6];
    const ymd: Ymd = { m: mon, d, ...(yTxt ? { y: Number(yTxt) } : {}) };
    return { ymd, rest: s.slice(m.index! + m[0].length), before: s.slice(0, m.index) };
  }
  // en-US numeric, as Outlook shows it ("Thu 11/27/2025 10:13 AM"). Only with a 12-hour clock,
  // which day-first locales do not use.
  const n = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/.exec(s);
  if (n && /\b[ap]\.?m\.?\b/i.test(s)) {
    const mon = Number(n[1]) - 1;
    const d = Number(n[2]);
    if (mon >= 0 && mon < 12 && d >= 1 && d <= 31) return { ymd: { y: Number(n[3]), m: mon, d }, rest: s.slice(n.index + n[0].length), before: s.slice(0, n.index) };
  }
  return null;
}

interface Hm {
  h: number;
  min: number;
  /** 'am' | 'pm' when the text said so. */
  half?: string;
}

function findTime(s: string): Hm | null {
  const m = /\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?(?![a-z])|\b(\d{1,2}):(\d{2})\b/i.exec(s);
  if (!m) return null;
  if (m[1]) {
    const h = Number(m[1]);
    const min = Number(m[2] ?? 0);
    if (h < 1 || h > 12 || min > 59) return null;
    return { h, min, half: m[3]!.toLowerCase() === 'a' ? 'am' : 'pm' };
  }
  const h = Number(m[4]);
  const min = Number(m[5]);
  return h <= 23 && min <= 59 ? { h, min } : null;
}

function hour24(t: Hm, half = t.half): number {
  if (!half) return t.h;
  return (t.h % 12) + (half === 'pm' ? 12 : 0);
}

function at(ymd: Ymd, year: number, t?: Hm, half?: string): number {
  const d = new Date(ymd.y ?? year, ymd.m, ymd.d, t ? hour24(t, half) : 0, t?.min ?? 0);
  // Rejects Feb 31 and friends, which Date would roll into the next month.
  return d.getMonth() === ymd.m ? d.getTime() : NaN;
}

function ok(n: number): number | undefined {
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

// Gmail's own title format, already clean ("Thu, Dec 4, 2014 at 2:02 PM", "Mon, Nov 6, 2023, 1:05 PM",
// newer ones with a narrow no-break space before PM):
// the general scan below would find the same parts, but a thread repeats this once per message.
const GMAIL_TITLE = /^[a-z]+, ([a-z]{3,9}\.?) (\d{1,2}), (\d{4})(?:,| at) (\d{1,2}):(\d{2})[ \u202f]([ap])m$/i;

function gmailTitle(text: string): number | undefined {
  const g = GMAIL_TITLE.exec(text);
  if (!g) return undefined;
  const m = monthOf(g[1]!);
  const d = Number(g[2]);
  const h = Number(g[4]);
  const min = Number(g[5]);
  // Anything the general path would judge differently (no month, bad day or clock) goes to it.
  if (m < 0 || d < 1 || d > 31 || h < 1 || h > 12 || min > 59) return undefined;
  return ok(at({ y: Number(g[3]), m, d }, 0, { h, min, half: g[6]!.toLowerCase() === 'a' ? 'am' : 'pm' }));
}

/** One date and time, e.g. Gmail's "Thu, Dec 4, 2014 at 2:02 PM"; ISO strings too. */
export function parseDateTime(text: string | null | undefined, refYear?: number): number | undefined {
  if (!text) return undefined;
  const fast = gmailTitle(text);
  if (fast !== undefined) return fast;
  const s = text.replace(/[\u200b-\u200f\u202a-\u202e\u22c5]/g, ' ').replace(/\s+/g, ' ').trim();
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) return ok(Date.parse(s));
  const date = findDate(s);
  if (!date) return undefined;
  const year = date.ymd.y ?? refYear;
  if (year === undefined) return undefined;
  const t = findTime(date.rest) ?? findTime(date.before) ?? undefined;
  return ok(at(date.ymd, year, t));
}

/**
 * A range as Google Calendar writes it: "Wednesday, April 26⋅11:30am – 12:45pm",
 * "Wednesday, April 26 – Thursday, April 27", "April 26, 2023⋅11pm – April 27, 2023⋅1am".
 * All-day ranges end at midnight after the last day.
 */
export function parseRange(text: string | null | undefined, refYear: number): { start: number; end?: number } | undefined {
  if (!text) return undefined;
  const s = text.replace(/[\u200b-\u200f\u202a-\u202e]/g, '').replace(/\u22c5/g, ' ').replace(/\s+/g, ' ').trim();
  const [left = '', right = ''] = s.split(RANGE_SEP);
  const d1 = findDate(left);
  if (!d1) return undefined;
  const y1 = d1.ymd.y ?? refYear;
  const d2 = right ? findDate(right) : null;
  const t2 = right ? findTime(d2 ? d2.rest : right) : null;
  // "9 – 9:15am": a bare hour is a time when the other end has one.
  const bare = /^\s*,?\s*(\d{1,2})\s*$/.exec(d1.rest);
  const t1 = findTime(d1.rest) ?? (bare && t2 && Number(bare[1]) <= 23 ? { h: Number(bare[1]), min: 0 } : null);
  const ymd2: Ymd = d2 ? { ...d2.ymd, y: d2.ymd.y ?? (d2.ymd.m < d1.ymd.m ? y1 + 1 : y1) } : { ...d1.ymd, y: y1 };
  if (!t1) {
    const start = at(d1.ymd, y1);
    if (!Number.isFinite(start)) return undefined;
    const last = at(ymd2, y1);
    const end = Number.isFinite(last) ? new Date(new Date(last).setDate(new Date(last).getDate() + 1)).getTime() : NaN;
    return { start, ...(ok(end) !== undefined && end > start ? { end } : {}) };
  }
  let start = at(d1.ymd, y1, t1);
  const end = t2 ? at(ymd2, y1, t2) : NaN;
  // "11 – 11:30am": the first time borrows the second one's half-day unless that puts it after the end.
  if (!t1.half && t2?.half) {
    const borrowed = at(d1.ymd, y1, t1, t2.half);
    const other = at(d1.ymd, y1, t1, t2.half === 'am' ? 'pm' : 'am');
    start = borrowed <= end ? borrowed : other <= end ? other : borrowed;
  }
  if (!Number.isFinite(start)) return undefined;
  return { start, ...(Number.isFinite(end) && end >= start ? { end } : {}) };
}
