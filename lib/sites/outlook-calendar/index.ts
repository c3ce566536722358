import type { PageContext } from '@/lib/model';
import { $$, firstVisible, richText } from '../dom';
import { People } from '../people';
import { scanPersonas } from '../persona';
import { decodeSegment, isOwaHost, owaSelf } from '../outlook/shared';
import type { SiteDetector } from '../types';
import * as S from './selectors';

/** `/calendar/item/<id>`, `/calendar/0/item/<id>`, `/calendar/deeplink/read/<id>`. */
function idFromUrl(url: URL): string | undefined {
  const m = /\/calendar\/(?:\d+\/)?(?:item|deeplink\/read|view\/item)\/([^/?#]+)/.exec(url.pathname);
  return m ? decodeSegment(m[1]!) : undefined;
}

function idFromDom(root: Element): string | undefined {
  for (const a of S.ID_ATTRS) {
    const el = root.hasAttribute(a) ? root : root.querySelector(`[${a}]`);
    const v = el?.getAttribute(a)?.trim();
    if (v) return v;
  }
  return undefined;
}

function times(root: Element): { start?: number; end?: number } {
  const out: number[] = [];
  for (const el of $$(root, S.TIMES)) {
    const t = Date.parse(el.getAttribute('datetime') ?? '');
    if (Number.isFinite(t) && t >= 0) out.push(t);
    if (out.length === 2) break;
  }
  const [start, end] = out;
  return { ...(start !== undefined ? { start } : {}), ...(end !== undefined && start !== undefined && end >= start ? { end } : {}) };
}

function detect(url: URL, doc: Document): PageContext | null {
  const fromUrl = idFromUrl(url);
  let root: Element | null = null;
  let key = fromUrl;
  for (const sel of S.EVENT_ROOTS) {
    const r = firstVisible(doc, [sel]);
    if (!r) continue;
    // The grid itself lists many events: it counts only with an id in the URL.
    const id = sel === '[role=main]' ? undefined : idFromDom(r);
    // A root counts when it names the event, or when the URL does and it has a title.
    if (id || (fromUrl && firstVisible(r, S.TITLE))) {
      root = r;
      key = fromUrl ?? id;
      break;
    }
  }
  if (!root || !key) return null;
  const people = new People(owaSelf(doc));
  scanPersonas(root, S.NO_ADDRESSES, (a, el) => {
    people.add(a.email, a.name, el.closest(S.ORGANIZER) ? 'organizer' : 'attendee');
  });
  const titleEl = firstVisible(root, S.TITLE);
  const subject = titleEl?.getAttribute('title')?.trim() || richText(titleEl);
  const ctx: PageContext = { site: 'outlook-calendar', view: 'event', key: key.slice(0, 300), url: url.href, people: people.finish(), messages: [], ...times(root) };
  if (subject) ctx.subject = subject.slice(0, 1000);
  return ctx;
}

export const outlookCalendar: SiteDetector = {
  id: 'outlook-calendar',
  matchesUrl: (url) => isOwaHost(url) && url.pathname.startsWith('/calendar'),
  detect,
};
