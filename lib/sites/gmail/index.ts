import type { PageContext, PageMessage, Role } from '@/lib/model';
import { parseAddress, parseAddressList } from '../address';
import { parseDateTime } from '../dates';
import { $, $$, firstVisible, isHidden, leadingText, richText } from '../dom';
import { googleSelf } from '../google';
import { People } from '../people';
import type { SiteDetector } from '../types';
import * as S from './selectors';

const SNIPPET_MAX = 200;
const BODY_MAX = 100_000;

function attr(el: Element | null | undefined, name: string): string | undefined {
  const v = el?.getAttribute(name)?.trim();
  return v && v !== 'undefined' && v !== 'null' ? v : undefined;
}

/** The open thread's heading: visible, and not one of the list rows that also carry thread ids. */
function threadHeading(doc: Document): Element | null {
  for (const sel of [...S.SUBJECT, S.THREAD_ID, '[data-thread-perm-id]']) {
    for (const el of $$(doc, sel)) if (!el.closest(S.LIST_ROW) && !isHidden(el)) return el;
  }
  return null;
}

function threadRoot(doc: Document, heading: Element): Element {
  for (const sel of S.THREAD_ROOTS) {
    const r = heading.closest(sel);
    if (r) return r;
  }
  for (const sel of S.THREAD_ROOTS) for (const r of $$(doc, sel)) if (!isHidden(r) && r.querySelector(S.MESSAGE)) return r;
  return heading.closest('[role=main]') ?? doc.body;
}

function threadKey(root: Element, heading: Element, url: URL): string | undefined {
  const own = attr(heading, 'data-legacy-thread-id') ?? attr(heading.querySelector(S.THREAD_ID), 'data-legacy-thread-id');
  if (own) return own;
  for (const el of $$(root, S.THREAD_ID)) if (!el.closest(S.LIST_ROW)) return attr(el, 'data-legacy-thread-id');
  const perm = attr(heading, 'data-thread-perm-id') ?? attr(root.querySelector('[data-thread-perm-id]'), 'data-thread-perm-id');
  if (perm) return perm.replace(/^#/, '');
  // Old-style URLs carry the 16-hex legacy id; the newer opaque tokens do not.
  const token = url.hash.split(/[/?]/).pop() ?? '';
  return /^[0-9a-f]{16}$/i.test(token) ? token : undefined;
}

function personOf(el: Element, people: People, role: Role) {
  return people.add(el.getAttribute('email') ?? el.getAttribute('data-hovercard-id'), el.getAttribute('name') ?? el.textContent, role);
}

const BANNED = /* @__PURE__ */ [...S.BODY, ...S.QUOTES].join(', ');
const BODIES = /* @__PURE__ */ S.BODY.join(', ');
const LINES = /* @__PURE__ */ S.RECIPIENT_LINES.join(', ');
const DATES = /* @__PURE__ */ S.DATE.join(', ');

function readMessage(el: Element, people: People): PageMessage | null {
  const box = el.closest(S.MESSAGE_BOX) ?? el;
  const id = (attr(el, 'data-message-id') ?? attr(box, 'data-message-id'))?.replace(/^#/, '') ?? attr(el, 'data-legacy-message-id');
  if (!id || isHidden(box, box.parentElement)) return null;
  // One pass in document order. A body or quote is a contiguous subtree, so "inside the last
  // one" is the whole test; nothing inside a body is ever read as a person.
  let ban: Element | undefined;
  let body: Element | undefined;
  let dateEl: Element | undefined;
  let fromEl: Element | undefined;
  const lines: Element[] = [];
  const recipients: [Element, boolean][] = [];
  // Indexed reads: iterating a NodeList with for…of costs an iterator call per element.
  const parts = box.querySelectorAll(S.MESSAGE_PARTS);
  for (let i = 0; i < parts.length; i++) {
    const e = parts[i]!;
    if (ban?.contains(e)) continue;
    if (e.matches(BANNED)) {
      ban = e;
      if (!body && e.matches(BODIES)) body = e;
      continue;
    }
    if (e.matches(LINES)) {
      lines.push(e);
      continue;
    }
    if (!dateEl && e.matches(DATES)) dateEl = e;
    if (!e.hasAttribute('email')) continue;
    const line = lines.find((l) => l.contains(e));
    if (line) recipients.push([e, line.matches(S.DETAILS)]);
    else fromEl ??= e;
  }
  const from = fromEl ? personOf(fromEl, people, 'from') : undefined;
  const to: NonNullable<ReturnType<People['add']>>[] = [];
  for (const [r, inDetails] of recipients) {
    // Every sighting still offers its name: the details pop-up names the user where the header says "me".
    const p = personOf(r, people, 'to');
    if (p && !to.some((x) => x.email === p.email) && !(inDetails && p.email === from?.email)) to.push(p);
  }
  const date = parseDateTime(dateEl?.getAttribute('title'));
  const text = leadingText(body, S.NOT_BODY_TEXT, BODY_MAX);
  const m: PageMessage = { id: id.slice(0, 200), to };
  if (from) m.from = from;
  if (date !== undefined) m.date = date;
  if (text) {
    m.snippet = text.length > SNIPPET_MAX ? `${text.slice(0, SNIPPET_MAX - 1).trimEnd()}…` : text;
    m.body = text;
  }
  return m;
}

/** Recipients of a compose form: chips, classic hidden inputs, and the older hovercard spans. */
function composeRecipients(root: Element, people: People): void {
  for (const chip of $$(root, S.CHIP)) {
    const field = chip.closest('[name]')?.getAttribute('name');
    if (field !== 'to' && field !== 'cc' && field !== 'bcc') continue; // autocomplete suggestions live outside the fields
    const a = parseAddress(chip.getAttribute('data-hovercard-id'));
    if (a) people.add(a.email, chip.getAttribute('data-name') ?? a.name, field);
  }
  for (const input of $$(root, S.CLASSIC_RECIPIENT)) {
    const role = input.getAttribute('name') as Role;
    // One input holds one recipient, so an unquoted comma in its name is still one address.
    const v = (input as HTMLInputElement).value || input.getAttribute('value');
    const one = parseAddress(v);
    for (const a of one ? [one] : parseAddressList(v)) people.add(a.email, a.name, role);
  }
  for (const span of $$(root, S.OTHER_RECIPIENT)) {
    const field = span.closest('[name=cc], [name=bcc]')?.getAttribute('name');
    personOf(span, people, field === 'cc' || field === 'bcc' ? field : 'to');
  }
}

/**
 * Compose windows, found through their forms (the document's cached form list), so a page with
 * thousands of nodes is not searched from the top on every detection.
 */
function composeRoots(doc: Document): Element[] {
  const roots: Element[] = [];
  for (const form of doc.forms) {
    const f = form.querySelector(S.COMPOSE_FIELDS);
    // A form inside a message body or quote is the sender's markup, not the user's compose window.
    if (!f || form.closest(BANNED)) continue;
    const r = S.COMPOSE_ROOTS.map((sel) => f.closest(sel)).find(Boolean) ?? form;
    if (!roots.includes(r) && !isHidden(r)) roots.push(r);
  }
  return roots;
}

function inputValue(root: Element, sels: readonly string[]): string | undefined {
  for (const sel of sels) {
    for (const el of $$(root, sel)) {
      const v = ((el as HTMLInputElement).value ?? el.getAttribute('value'))?.trim();
      if (v) return v;
    }
  }
  return undefined;
}

function composeContext(root: Element, url: URL, people: People): PageContext {
  const id = (sel: string) => inputValue(root, [sel])?.replace(/^#/, '').replace(/^(undefined|null)$/, '') || undefined;
  const key = id('input[name=composeid]') ?? id('input[name=draft]') ?? url.hash.match(/[?&]compose=([^&,%]+)/)?.[1] ?? 'new';
  const fromInput = inputValue(root, ['input[name=from]']);
  const fromText = $(root, '.az2')?.textContent;
  const from = parseAddress(fromText) ?? parseAddress(fromInput);
  if (from) people.add(from.email, from.name, 'from', true);
  composeRecipients(root, people);
  const subject = inputValue(root, S.COMPOSE_SUBJECT);
  const ctx: PageContext = { site: 'gmail', view: 'compose', key: key.slice(0, 300), url: url.href, people: people.finish(), messages: [] };
  if (subject) ctx.subject = subject;
  return ctx;
}

function threadContext(url: URL, heading: Element, root: Element, composes: Element[], people: People): PageContext | null {
  const key = threadKey(root, heading, url);
  if (!key) return null;
  const messages: PageMessage[] = [];
  const ids = new Set<string>();
  let last: Element | undefined;
  const found = root.querySelectorAll(S.MESSAGE);
  for (let i = 0; i < found.length; i++) {
    const el = found[i]!;
    // Document order puts an outer message element right before any inner one carrying ids too.
    if (last?.contains(el)) continue;
    last = el;
    const m = readMessage(el, people);
    if (m && !ids.has(m.id)) {
      ids.add(m.id);
      messages.push(m);
    }
  }
  // An open inline reply adds the people being written to; its message is logged once sent.
  for (const r of composes) if (root.contains(r)) composeRecipients(r, people);
  const subjectEl = heading.matches(S.SUBJECT.join(',')) ? heading : firstVisible(root, S.SUBJECT);
  const subject = richText(subjectEl);
  const ctx: PageContext = { site: 'gmail', view: 'thread', key, url: url.href, people: people.finish(), messages };
  if (subject) ctx.subject = subject.slice(0, 1000);
  return ctx;
}

function detect(url: URL, doc: Document): PageContext | null {
  const people = new People(googleSelf(doc, S.ACCOUNT));
  const active = doc.activeElement;
  const heading = threadHeading(doc);
  const threadBox = heading ? threadRoot(doc, heading) : null;
  const composes = composeRoots(doc);
  const moles = composes.filter((r) => !r.closest(S.INLINE_REPLY) && !(threadBox && threadBox.contains(r)));
  const focused = active && active !== doc.body ? moles.find((r) => r.contains(active)) : undefined;
  if (focused) return composeContext(focused, url, people);
  if (heading && threadBox) {
    const t = threadContext(url, heading, threadBox, composes, people);
    if (t) return t;
  }
  if (moles.length) return composeContext(moles[moles.length - 1]!, url, people);
  // A list page is reported as such, with nobody on it: rows are mostly newsletters and
  // notifications, and logging one must never create contacts for a whole inbox.
  const main = firstVisible(doc, ['[role=main]']);
  if (!main) return null;
  const route = decodeURIComponent(url.hash.replace(/^#/, '').split('?')[0] ?? '') || 'inbox';
  return { site: 'gmail', view: 'list', key: route.slice(0, 300), url: url.href, people: [], messages: [] };
}

export const gmail: SiteDetector = {
  id: 'gmail',
  matchesUrl: (url) => url.hostname === 'mail.google.com' && url.pathname.startsWith('/mail'),
  detect,
};
