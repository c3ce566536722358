import { domainOf, type Person, type Settings } from '@/lib/model';

export type SkipReason = 'self' | 'internal' | 'no_reply' | 'never_log';

// Automated senders: logging them would bury real people under receipts and alerts.
const NO_REPLY_LOCAL =
  /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|notifications?|notify|mailer[-_.]?daemon|postmaster|bounces?|alerts?|newsletters?|news|updates?|digest|automated|calendar[-_.]?notification|invitations?)([-_.+].*)?$/;

/** Free mailbox providers: their domain says nothing about the person's company. */
export const FREEMAIL = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'ymail.com',
  'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de', 'web.de',
  'mail.com', 'zoho.com', 'yandex.com', 'yandex.ru', 'fastmail.com', 'hey.com', 'qq.com', '163.com',
]);

function domainMatches(domain: string, list: string[]): boolean {
  return list.some((d) => {
    const x = d.trim().toLowerCase().replace(/^@/, '');
    return x !== '' && (domain === x || domain.endsWith(`.${x}`));
  });
}

/** Why a person must not become a contact, or null when they may. Pure. */
export function skipReason(p: Pick<Person, 'email' | 'self'>, s: Settings): SkipReason | null {
  const email = p.email.toLowerCase();
  const domain = domainOf(email);
  if (p.self || s.selfEmails.some((e) => e.trim().toLowerCase() === email)) return 'self';
  if (s.neverLogEmails.some((e) => e.trim().toLowerCase() === email) || domainMatches(domain, s.neverLogDomains)) return 'never_log';
  if (domainMatches(domain, s.internalDomains)) return 'internal';
  const local = email.slice(0, email.lastIndexOf('@'));
  if (NO_REPLY_LOCAL.test(local) || /(^|\.)(bounces?|mailer|notifications?|no-?reply)\./.test(domain)) return 'no_reply';
  return null;
}

export function companyDomainOf(email: string): string | null {
  const d = domainOf(email);
  return FREEMAIL.has(d) ? null : d;
}

/** A display name worth keeping: not empty, not the address again, not Gmail's "me". */
export function usableName(name: string | undefined, email: string): string | undefined {
  const n = name?.replace(/\s+/g, ' ').trim();
  if (!n || n.toLowerCase() === email.toLowerCase() || n.toLowerCase() === 'me') return undefined;
  return n.slice(0, 200);
}

/**
 * A name reduced to compare people across addresses: case, accents, punctuation and word order
 * ("Smith, Jane" = "Jane Smith") do not count. Null when too weak to suggest anything: one word
 * ("Sam") matches far too many people to be worth a suggestion.
 */
export function nameKey(name: string | undefined): string | null {
  if (!name) return null;
  const words = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return words.length >= 2 ? words.sort().join(' ') : null;
}

const SECOND_LEVEL = new Set(['co', 'com', 'org', 'net', 'gov', 'ac', 'edu', 'ne', 'or', 'go', 'gob']);

/** Parent domains worth suggesting as the company: eu.acme.com → [acme.com]; never a bare TLD. */
export function parentDomains(domain: string): string[] {
  const labels = domain.split('.');
  const out: string[] = [];
  for (let i = 1; i <= labels.length - 2; i++) {
    const rest = labels.slice(i);
    // acme.co.uk's parent co.uk is a registry, not a company.
    if (rest.length === 2 && rest[1]!.length === 2 && SECOND_LEVEL.has(rest[0]!)) break;
    out.push(rest.join('.'));
  }
  return out;
}
