import { cleanText, findEmails, parseAddress, splitAddressList, type Address } from './address';
import { isHidden } from './dom';

/** Attributes that carry an address on persona elements, most specific first. */
const ATTRS = ['email', 'data-email', 'data-hovercard-id', 'title', 'aria-label'];

function ownName(el: Element): string | undefined {
  const named = el.getAttribute('name') ?? el.getAttribute('data-name');
  if (named) return named;
  const t = cleanText(el.textContent ?? '');
  return t && !t.includes('@') && t.length <= 120 ? t : undefined;
}

/**
 * The person an element stands for, read from attributes first and then from short text.
 * A label such as aria-label "Von: a@b.de" yields only the address: its words depend on the
 * UI language, so names come from `name`/`data-name`, a `Name <email>` string, or the text.
 */
export function personaOf(el: Element): Address | null {
  for (const a of ATTRS) {
    const v = el.getAttribute(a);
    if (!v || !v.includes('@')) continue;
    if (a !== 'aria-label') {
      const p = parseAddress(v);
      if (p) return p.name ? p : { email: p.email, name: ownName(el) };
    }
    const found = findEmails(v);
    if (found.length === 1) return { email: found[0]!, name: ownName(el) };
  }
  if (el.childElementCount <= 4) {
    const t = el.textContent ?? '';
    // Only a single `Name <email>` or address; a list or a labelled line belongs to the field's text pass.
    if (t.length <= 320 && t.includes('@') && splitAddressList(cleanText(t)).length === 1) {
      const p = parseAddress(t);
      if (p && !p.name?.includes(':')) return p;
    }
  }
  return null;
}

/**
 * Walks `root` in document order and reports each persona once, never entering `skip`
 * subtrees (bodies, quotes, signatures) nor the inside of an element already reported.
 */
export function scanPersonas(root: Element, skip: string, visit: (a: Address, el: Element) => void): void {
  const walk = (el: Element) => {
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
      if (c.matches(skip)) continue;
      if (isHidden(c, el)) continue;
      const p = personaOf(c);
      if (p) visit(p, c);
      else walk(c);
    }
  };
  walk(root);
}

/** Addresses in a recipient field's text, in order: `Name <email>` entries, else any address in each entry. */
export function addressesInText(text: string | null | undefined): Address[] {
  const out: Address[] = [];
  for (const part of splitAddressList(cleanText(text ?? ''))) {
    const a = parseAddress(part);
    // A name with a colon is a field label glued to it ("To: Bob"), in whatever language.
    const found = a ? [a.name?.includes(':') ? { email: a.email } : a] : findEmails(part).map((email) => ({ email }));
    for (const f of found) if (!out.some((o) => o.email === f.email)) out.push(f);
  }
  return out;
}
