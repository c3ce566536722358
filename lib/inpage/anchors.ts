import type { PageContext, SiteId } from '@/lib/model';
import { isHidden } from '@/lib/sites/dom';

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
}

const first = (root: ParentNode, sels: readonly string[]): Element | null => {
  for (const sel of sels) for (const el of root.querySelectorAll(sel)) if (!isHidden(el)) return el;
  return null;
};

const siteUi = (id: SiteId, scopes: string[], anchors: string[]): SiteUi => ({
  id,
  scope: (doc) => first(doc, scopes),
  anchor(doc) {
    for (const s of scopes) for (const root of doc.querySelectorAll(s)) if (!isHidden(root)) {
      const el = first(root, anchors);
      if (el) return el;
    }
    return null;
  },
});

// Seen 2023-11 on Gmail's thread view: subject `h2.hP` in the `.ha` header, with the thread id.
export const gmailUi = siteUi('gmail', ['[role=main]'], ['h2.hP', '.ha h2', 'h2[data-legacy-thread-id]']);

// OWA reading pane: the subject heading keeps its full text in `title`.
export const outlookUi = siteUi(
  'outlook',
  ['[data-app-section=MailReadCompose]', '#ReadingPaneContainerId', '[data-app-section=ConversationContainer]', '[data-app-section=Form_Content]'],
  ['[role=heading][title]', '[role=heading]'],
);

// OWA calendar: the event's reading pane or peek card; its title is a heading.
export const outlookCalendarUi = siteUi(
  'outlook-calendar',
  ['[data-app-section=ReadingPane]', '[data-app-section=CalendarItemPeek]', '[role=dialog]', '[data-app-section=Form_Content]', '[role=main]'],
  ['[role=heading][title]', '[role=heading]', '.CWGkB'],
);

// Google Calendar: the reused event pop-up (the `#xDetDlg` showing now), or the event page.
export const googleCalendarUi = siteUi(
  'google-calendar',
  ['[data-chips-dialog=true] #xDetDlg[data-eventid]', '[data-chips-dialog=true] [data-eventid]', '[data-is-create=false]'],
  ['[role=heading]', '#rAECCd', 'input[data-initial-value]'],
);

/** Message bodies, quotes and signatures: never a place for chips (nor a source of addresses). */
const QUOTED = '.a3s,.ii.gt,blockquote,.gmail_quote,[id^=UniqueMessageBody],[role=document],#xDetDlgDesc,[contenteditable=true]';

/**
 * The innermost elements inside `scope` that carry this address in an attribute, outside
 * bodies and quotes: Gmail's `span[email]`, hovercards, calendars' `data-email`, OWA personas.
 */
export function personElements(scope: Element, email: string): Element[] {
  const e = CSS.escape(email);
  const sel = `[email="${e}" i],[data-hovercard-id="${e}" i],[data-email="${e}" i],[title*="${e}" i],[aria-label*="${e}" i]`;
  return [...scope.querySelectorAll(sel)].filter((el) => !el.closest(QUOTED) && !isHidden(el) && !el.querySelector(sel));
}
