/**
 * Address parsing for page text: `Name <email>`, bare addresses, quoted commas, entities and
 * bidi marks. No zod here: content scripts must stay small, so the rule below mirrors
 * lib/model's `Email` (tests/sites/address.test.ts keeps the two in step).
 */

const EMAIL_RE = /^[^\s@<>(),;:"[\]\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;
// For addresses inside longer text such as an aria-label ("Von: a@b.de").
const EMAIL_IN_TEXT = /[^\s@<>(),;:"'[\]\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/gi;
// Bidi and zero-width marks: Gmail wraps names in \u202c, OWA in \u200e.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

export interface Address {
  email: string;
  name?: string;
}

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (m, e: string) => {
    const low = e.toLowerCase();
    if (low in NAMED) return NAMED[low]!;
    const code = low.startsWith('#x') ? parseInt(low.slice(2), 16) : low.startsWith('#') ? parseInt(low.slice(1), 10) : NaN;
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

export function cleanText(s: string): string {
  return decodeEntities(s).replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** Trimmed, lower-cased address, or null when it is not one. */
export function normalizeEmail(s: string | null | undefined): string | null {
  if (!s) return null;
  const e = cleanText(s).replace(/^mailto:/i, '').toLowerCase();
  return e.length <= 254 && EMAIL_RE.test(e) ? e : null;
}

/** Every address that appears in a piece of text, normalized, in order, once each. */
export function findEmails(text: string | null | undefined): string[] {
  if (!text || !text.includes('@')) return [];
  const out: string[] = [];
  for (const m of cleanText(text).matchAll(EMAIL_IN_TEXT)) {
    const e = normalizeEmail(m[0].replace(/^mailto:/i, '').replace(/[.]+$/, ''));
    if (e && !out.includes(e)) out.push(e);
  }
  return out;
}

function unquote(s: string): string {
  let t = s.trim();
  if (t.length >= 2 && ((t[0] === '"' && t.endsWith('"')) || (t[0] === "'" && t.endsWith("'")))) t = t.slice(1, -1);
  return t.replace(/\\(.)/g, '$1').replace(/\s+/g, ' ').trim();
}

/** A display name worth keeping: not empty and not the address again. */
export function cleanName(name: string | null | undefined, email: string): string | undefined {
  if (!name) return undefined;
  const n = unquote(cleanText(name));
  if (!n || n.toLowerCase() === email || normalizeEmail(n) === email) return undefined;
  return n.slice(0, 200);
}

/** One address: `Name <email>`, `"Smith, Jane" <jane@x.org>`, `<email>` or a bare address. */
export function parseAddress(input: string | null | undefined): Address | null {
  if (!input) return null;
  const s = cleanText(input);
  // The address is the last <…>: names may contain angle brackets, addresses may not.
  const open = s.lastIndexOf('<');
  if (open >= 0 && s.endsWith('>')) {
    const email = normalizeEmail(s.slice(open + 1, -1));
    if (!email) return null;
    const name = cleanName(s.slice(0, open), email);
    return name ? { email, name } : { email };
  }
  const email = normalizeEmail(s);
  return email ? { email } : null;
}

/** Splits on commas and semicolons that are outside quotes and angle brackets. */
export function splitAddressList(input: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === '\\' && quoted && i + 1 < input.length) {
      cur += c + input[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '<') angle = true;
    else if (!quoted && c === '>') angle = false;
    if ((c === ',' || c === ';') && !quoted && !angle) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** A list of addresses; invalid entries are dropped, duplicates keep their first name. */
export function parseAddressList(input: string | null | undefined): Address[] {
  if (!input) return [];
  const seen = new Map<string, Address>();
  for (const part of splitAddressList(cleanText(input))) {
    const a = parseAddress(part);
    if (!a) continue;
    const prev = seen.get(a.email);
    if (!prev) seen.set(a.email, a);
    else if (!prev.name && a.name) prev.name = a.name;
  }
  return [...seen.values()];
}
