import type { PageContext } from '@/lib/model';
import { findEmails } from '../address';
import { parseDateTime, parseRange } from '../dates';
import { $$, firstVisible, isHidden, richText } from '../dom';
import { googleSelf } from '../google';
import { People } from '../people';
import type { SiteDetector } from '../types';
import * as S from './selectors';

/** Recurring instances end in `_20230426T183000Z` (or `_20230426` all day) once base64-decoded. */
function decodeEid(eid: string): string | undefined {
  try {
    const b = eid.replace(/-/g, '+').replace(/_/g, '/');
    return atob(b + '='.repeat((4 - (b.length % 4)) % 4));
  } catch {
    return undefined;
  }
}

function instanceStart(eid: string): number | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?(?:\s|$)/.exec(decodeEid(eid) ?? '');
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  return m[4] ? Date.UTC(y, mo, d, Number(m[4]), Number(m[5]), Number(m[6])) : new Date(y, mo, d).getTime();
}

/** The year a date without one belongs to: the one in the URL's view date, else the one nearest to now. */
function refYear(url: URL, month: number | undefined): number {
  const m = /\/r\/[a-z]+\/(\d{4})\/\d{1,2}\/\d{1,2}/.exec(url.pathname);
  if (m) return Number(m[1]);
  const now = new Date();
  if (month === undefined) return now.getFullYear();
  const diff = month - now.getMonth();
  return now.getFullYear() + (diff > 6 ? -1 : diff < -6 ? 1 : 0);
}

function monthIn(text: string): number | undefined {
  const m = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i.exec(text);
  return m ? ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(m[1]!.toLowerCase()) : undefined;
}

/** A guest's display name: `data-name`, else its first real text (not an initial, not the address). */
function guestName(el: Element): string | undefined {
  const named = el.getAttribute('data-name');
  if (named) return named;
  for (const leaf of $$(el, '*')) {
    if (leaf.childElementCount) continue;
    const t = leaf.textContent?.trim() ?? '';
    if (t.length > 1 && !t.includes('@')) return t;
  }
  return undefined;
}

function addGuests(scope: Element, current: Element, people: People, organizer?: string): void {
  for (const el of $$(scope, S.GUEST)) {
    // Stale nodes from an earlier render belong to another event or are hidden.
    const owner = el.closest('[data-eventid]');
    if ((owner && owner !== current && current.contains(owner)) || el.closest(S.NO_ADDRESSES) || isHidden(el, current)) continue;
    if (el.parentElement?.closest(S.GUEST) && scope.contains(el.parentElement.closest(S.GUEST))) continue;
    const email = el.getAttribute('data-email') ?? el.getAttribute('data-hovercard-id');
    const lower = email?.trim().toLowerCase();
    people.add(email, guestName(el), lower && lower === organizer ? 'organizer' : 'attendee');
  }
}

function popupContext(url: URL, doc: Document, current: Element, people: People): PageContext | null {
  const key = current.getAttribute('data-eventid')?.trim();
  if (!key) return null;
  // The only attribute-borne organizer hint seen so far is an address in the dialog's jslog.
  const organizer = findEmails(current.getAttribute('jslog'))[0];
  const guests = firstVisible(current, [S.GUESTS], current);
  if (organizer) people.add(organizer, undefined, 'organizer');
  if (guests) addGuests(guests, current, people, organizer);
  const title = richText(firstVisible(current, S.TITLE, current));
  const whenText = richText(firstVisible(current, [S.WHEN], current));
  const range = parseRange(whenText, refYear(url, monthIn(whenText)));
  const start = range?.start ?? instanceStart(key);
  const ctx: PageContext = { site: 'google-calendar', view: 'event', key: key.slice(0, 300), url: url.href, people: people.finish(), messages: [] };
  if (title) ctx.subject = title.slice(0, 1000);
  if (start !== undefined) ctx.start = start;
  if (range?.end !== undefined) ctx.end = range.end;
  return ctx;
}

/** Event page: the edit form's initial values, in order title, start date, start time, end time, end date. */
function pageTimes(root: Element, url: URL): { start?: number; end?: number } {
  const values = $$(root, S.PAGE_TITLE_INPUT).slice(1).map((i) => i.getAttribute('data-initial-value') ?? '');
  const dates = values.filter((v) => monthIn(v) !== undefined && /\d/.test(v));
  const clock = values.filter((v) => monthIn(v) === undefined && /^\s*\d{1,2}(:\d{2})?\s*([ap]\.?m\.?)?\s*$/i.test(v));
  if (!dates[0]) return {};
  const year = refYear(url, monthIn(dates[0]));
  const start = parseDateTime(`${dates[0]} ${clock[0] ?? ''}`.trim(), year);
  const endText = `${dates[1] ?? dates[0]} ${clock[1] ?? ''}`.trim();
  let end = clock[1] || dates[1] ? parseDateTime(endText, year) : undefined;
  // An all-day event ends at midnight after its last day.
  if (end !== undefined && !clock[1]) end = new Date(new Date(end).setDate(new Date(end).getDate() + 1)).getTime();
  return { ...(start !== undefined ? { start } : {}), ...(end !== undefined && start !== undefined && end >= start ? { end } : {}) };
}

function pageContext(url: URL, root: Element, key: string, people: People): PageContext {
  addGuests(root, root, people);
  const titleInput = root.querySelector(S.PAGE_TITLE_INPUT);
  const title = titleInput?.getAttribute('data-initial-value')?.trim() || (titleInput as HTMLInputElement | null)?.value?.trim() || richText(firstVisible(root, S.TITLE));
  const ctx: PageContext = { site: 'google-calendar', view: 'event', key: key.slice(0, 300), url: url.href, people: people.finish(), messages: [], ...pageTimes(root, url) };
  if (title) ctx.subject = title.slice(0, 1000);
  return ctx;
}

function detect(url: URL, doc: Document): PageContext | null {
  const people = new People(googleSelf(doc, S.ACCOUNT));
  const current = firstVisible(doc, S.POPUP);
  if (current) return popupContext(url, doc, current, people);
  const fromUrl = /\/eventedit\/([^/?#]+)/.exec(url.pathname)?.[1];
  const page = firstVisible(doc, [S.EVENT_PAGE]);
  const key = fromUrl ?? page?.getAttribute('data-eventid') ?? page?.querySelector('[data-eventid]')?.getAttribute('data-eventid');
  if (page && key) return pageContext(url, page, key, people);
  return null;
}

export const googleCalendar: SiteDetector = {
  id: 'google-calendar',
  matchesUrl: (url) => url.hostname === 'calendar.google.com' && url.pathname.startsWith('/calendar'),
  detect,
};
