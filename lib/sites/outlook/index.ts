import type { PageContext, PageMessage, Person, Role } from '@/lib/model';
import { parseDateTime } from '../dates';
import { $$, allVisible, firstVisible, hash, isHidden, leadingText, richText } from '../dom';
import { People } from '../people';
import { addressesInText, personaOf, scanPersonas } from '../persona';
import type { SiteDetector } from '../types';
import * as S from './selectors';
import { decodeSegment, isOwaHost, owaSelf } from './shared';

const SNIPPET_MAX = 200;
const BODY_MAX = 100_000;

/** Conversation id: the selected list row, else the id in the URL (`/mail/inbox/id/<id>`, deep links). */
function conversationKey(doc: Document, url: URL): string | undefined {
  for (const sel of S.SELECTED_CONVERSATION) {
    const v = doc.querySelector(sel)?.getAttribute('data-convid')?.trim();
    if (v) return v;
  }
  const m = /\/(?:id|deeplink\/read|read)\/([^/?#]+)/.exec(url.pathname);
  return m ? decodeSegment(m[1]!) : undefined;
}

/** Cc/Bcc only when the well's test id says so; the field labels are localized text. */
function wellRole(well: Element): Role {
  const id = (well.getAttribute('data-testid') ?? '').toLowerCase();
  if (id.startsWith('bcc')) return 'bcc';
  if (id.startsWith('cc')) return 'cc';
  return 'to';
}

function readWell(well: Element, role: Role, people: People, into: Person[]): void {
  const add = (email: string, name: string | undefined) => {
    if (into.some((p) => p.email === email)) return;
    const p = people.add(email, name, role);
    if (p) into.push(p);
  };
  scanPersonas(well, S.NO_ADDRESSES, (a) => add(a.email, a.name));
  for (const a of addressesInText(well.textContent)) add(a.email, a.name);
}

// A message body or quote is the sender's markup: a well or editable element in it is not Outlook's.
const SENDER_MARKUP = `${S.BODY}, ${S.NOT_BODY_TEXT}`;

function insideSenderMarkup(el: Element, within?: Element): boolean {
  const b = el.parentElement?.closest(SENDER_MARKUP);
  return Boolean(b && (!within || within.contains(b)));
}

function readMessage(root: Element, index: number, people: People): PageMessage {
  const wells = allVisible(root, [S.RECIPIENT_WELL], root).filter((w, i, all) => !all.some((o, j) => j !== i && o.contains(w)) && !insideSenderMarkup(w, root));
  let from: Person | undefined;
  scanPersonas(root, `${S.NO_ADDRESSES}, ${S.RECIPIENT_WELL}`, (a) => {
    from ??= people.add(a.email, a.name, 'from');
  });
  const to: Person[] = [];
  for (const w of wells) readWell(w, wellRole(w), people, to);
  const dateEl = firstVisible(root, S.DATE, root);
  const dateText = dateEl?.getAttribute('datetime') ?? dateEl?.getAttribute('title') ?? dateEl?.textContent ?? '';
  const date = parseDateTime(dateText);
  const body = firstVisible(root, [S.BODY], root);
  const snippet = leadingText(body, S.NOT_BODY_TEXT, SNIPPET_MAX);
  // OWA exposes no message id in the page: sender and sent time identify a message within
  // its conversation; the position stands in only when the time is missing.
  const id = `m-${hash(`${from?.email ?? ''}|${dateText.trim() || `#${index}`}`)}`;
  const m: PageMessage = { id, to };
  if (from) m.from = from;
  if (date !== undefined) m.date = date;
  if (snippet) {
    m.snippet = snippet;
    const text = leadingText(body, S.NOT_BODY_TEXT, BODY_MAX);
    if (text) m.body = text;
  }
  return m;
}

function composeWells(scope: ParentNode): Element[] {
  return allVisible(scope, [S.COMPOSE_WELL]).filter((w) => !insideSenderMarkup(w));
}

/** Compose wells in order To, Cc, Bcc; chips read "Name <email>", a name, or an address. */
function composeRecipients(wells: Element[], people: People): void {
  const roles: Role[] = ['to', 'cc', 'bcc'];
  wells.slice(0, 3).forEach((well, i) => {
    const role = roles[i]!;
    const chips = $$(well, S.CHIP);
    for (const chip of chips) {
      const a = personaOf(chip) ?? addressesInText(chip.textContent)[0];
      if (a) people.add(a.email, a.name, role);
    }
    if (!chips.length) for (const a of addressesInText(well.textContent)) people.add(a.email, a.name, role);
  });
}

function detect(url: URL, doc: Document): PageContext | null {
  const people = new People(owaSelf(doc));
  const pane = firstVisible(doc, S.READING_PANE);
  const scope = pane ?? doc.body;
  const roots = allVisible(scope, S.MESSAGE).filter((r, i, all) => !all.some((o, j) => j !== i && o.contains(r)));
  const heading = firstVisible(scope, S.SUBJECT);
  const wells = composeWells(doc);
  const key = conversationKey(doc, url);

  if (key && (roots.length || heading)) {
    const messages = roots.map((r, i) => readMessage(r, i, people));
    // Without a known per-message hook, the pane is one message.
    if (!roots.length && pane) {
      const m = readMessage(pane, 0, people);
      if (m.from || m.to.length) messages.push(m);
    }
    composeRecipients(wells, people); // an inline reply's recipients
    const subject = heading?.getAttribute('title')?.trim() || richText(heading);
    const ctx: PageContext = { site: 'outlook', view: 'thread', key, url: url.href, people: people.finish(), messages };
    if (subject) ctx.subject = subject.slice(0, 1000);
    return ctx;
  }
  if (wells.length) {
    composeRecipients(wells, people);
    const form = wells[0]!.closest('[data-app-section=Form_Content], [role=main], form') ?? doc.body;
    const inputs = $$(form, S.COMPOSE_SUBJECT).filter((i) => !isHidden(i) && !i.closest(S.COMPOSE_WELL));
    const subject = (inputs[inputs.length - 1] as HTMLInputElement | undefined)?.value?.trim();
    const m = /\/compose\/([^/?#]+)/.exec(url.pathname);
    const keyOf = m ? decodeSegment(m[1]!) : key ? `reply:${key}` : 'new';
    const ctx: PageContext = { site: 'outlook', view: 'compose', key: keyOf.slice(0, 300), url: url.href, people: people.finish(), messages: [] };
    if (subject) ctx.subject = subject;
    return ctx;
  }
  if (firstVisible(doc, [S.MAIL_LIST])) {
    const folder = url.pathname.replace(/^\/+|\/+$/g, '') || 'mail';
    return { site: 'outlook', view: 'list', key: folder.slice(0, 300), url: url.href, people: [], messages: [] };
  }
  return null;
}

export const outlook: SiteDetector = {
  id: 'outlook',
  matchesUrl: (url) => isOwaHost(url) && /^\/(mail|owa)(\/|$)|^\/?$/.test(url.pathname),
  detect,
};
