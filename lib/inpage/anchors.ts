import type { PageContext, SiteId } from '@/lib/model';
import { isHidden } from '@/lib/sites/dom';
import { NO_ADDRESSES as G_SKIP, SUBJECT as G_SUBJECT } from '@/lib/sites/gmail/selectors';
import { EVENT_PAGE, NO_ADDRESSES as GC_SKIP, PAGE_TITLE_INPUT, POPUP, TITLE as GC_TITLE } from '@/lib/sites/google-calendar/selectors';
import { NO_ADDRESSES as O_SKIP, READING_PANE, SUBJECT as O_SUBJECT } from '@/lib/sites/outlook/selectors';
import { EVENT_ROOTS, NO_ADDRESSES as C_SKIP, TITLE as C_TITLE } from '@/lib/sites/outlook-calendar/selectors';

/**
 * Where the in-page UI goes on each site. Anchors are structural (roles, ids, data attributes)
 * and the spot is right after the subject heading: it sits in the thread or event header on
 * every layout we know, and inserting beside it moves nothing the site's scripts rely on.
 * When no anchor is found we mount nothing (no floating fallback): a button over an unknown
 * layout could cover the site's own controls, while the side panel and the keyboard command
 * still log the page, and the panel says in-page capture is limited there.
 */
export interface SiteUi {
  id: SiteId;
  /** The element the Log button goes right after, or null when the layout is unknown. */
  anchor(doc: Document, ctx: PageContext): Element | null;
  /** The element holding the open thread or event; chips stay inside it. */
  scope(doc: Document): Element | null;
  /** Bodies, quotes, signatures, editors: never a place for chips. */
  skip: string;
}

const first = (root: ParentNode, sels: readonly string[]): Element | null => {
  for (const sel of sels) for (const el of root.querySelectorAll(sel)) if (!isHidden(el)) return el;
  return null;
};

type Selectors = readonly (string | readonly string[])[];

// Lists are flattened inside, not at the call: a call in the arguments would keep another site's
// selectors in every content script, since tree-shaking cannot drop a call it cannot prove pure.
const siteUi = (id: SiteId, scopeList: Selectors, anchorList: Selectors, skip: string): SiteUi => {
  const scopes = scopeList.flat();
  const anchors = anchorList.flat();
  return {
    id,
    skip: `${skip},[contenteditable=true]`,
    scope: (doc) => first(doc, scopes),
    anchor(doc) {
      for (const s of scopes) for (const root of doc.querySelectorAll(s)) if (!isHidden(root)) {
        const el = first(root, anchors);
        if (el) return el;
      }
      return null;
    },
  };
};

// The detectors' own selectors: the button goes where detection looks, and both move together
// when a site changes. Gmail: `h2.hP` in the `.ha` header (seen 2014-12 … 2023-11).
export const gmailUi = /* @__PURE__ */ siteUi('gmail', ['[role=main]'], G_SUBJECT, G_SKIP);

// OWA reading pane: the subject heading keeps its full text in `title`.
export const outlookUi = /* @__PURE__ */ siteUi('outlook', READING_PANE, O_SUBJECT, O_SKIP);

// OWA calendar: the event's reading pane or peek card; its title is a heading.
export const outlookCalendarUi = /* @__PURE__ */ siteUi('outlook-calendar', EVENT_ROOTS, C_TITLE, C_SKIP);

// Google Calendar: the reused event pop-up (the `#xDetDlg` showing now), or the event page.
export const googleCalendarUi = /* @__PURE__ */ siteUi('google-calendar', [POPUP, EVENT_PAGE], [GC_TITLE, PAGE_TITLE_INPUT], GC_SKIP);

/**
 * The innermost elements inside `scope` that carry this address in an attribute, outside
 * bodies, quotes and signatures: Gmail's `span[email]`, hovercards, `data-email`, OWA personas.
 */
export function personElements(ui: SiteUi, scope: Element, email: string): Element[] {
  const e = CSS.escape(email);
  const sel = `[email="${e}" i],[data-hovercard-id="${e}" i],[data-email="${e}" i],[title*="${e}" i],[aria-label*="${e}" i]`;
  return [...scope.querySelectorAll(sel)].filter((el) => !el.closest(ui.skip) && !isHidden(el) && !el.querySelector(sel));
}
