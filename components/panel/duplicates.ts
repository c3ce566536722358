import { db } from '@/lib/db';
import { domainOf, type Contact } from '@/lib/model';

/** Webmail domains say nothing about an employer: a shared domain there is no duplicate hint. */
const FREE_MAIL = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'yahoo.com', 'icloud.com', 'me.com', 'proton.me', 'protonmail.com', 'aol.com', 'gmx.com', 'gmx.de', 'web.de']);

export interface DuplicateHint {
  contact: Contact;
  why: 'same name' | 'same company domain';
}

/**
 * Existing contacts that may be the person about to be created: same name (any address), or an
 * address at the same company domain. Index-backed through the `terms` index.
 */
export async function findDuplicates(person: { email: string; name?: string }, limit = 8): Promise<DuplicateHint[]> {
  const out = new Map<string, DuplicateHint>();
  const name = person.name?.trim().toLowerCase();
  if (name) {
    const first = name.split(/\s+/)[0]!;
    const rows = await db.contacts.where('terms').equals(first).limit(200).toArray();
    for (const c of rows) if (!c.deletedAt && c.name?.trim().toLowerCase() === name) out.set(c.id, { contact: strip(c), why: 'same name' });
  }
  const domain = domainOf(person.email);
  if (!FREE_MAIL.has(domain)) {
    const rows = await db.contacts.where('terms').equals(domain).limit(50).toArray();
    for (const c of rows) {
      if (c.deletedAt || out.has(c.id) || c.emails.includes(person.email.toLowerCase())) continue;
      if (c.emails.some((e) => domainOf(e) === domain)) out.set(c.id, { contact: strip(c), why: 'same company domain' });
    }
  }
  return [...out.values()].slice(0, limit);
}

function strip(c: Contact & { terms?: string[] }): Contact {
  const { terms: _t, ...rest } = c;
  return rest;
}
