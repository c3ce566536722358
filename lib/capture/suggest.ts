import { db } from '@/lib/db';
import type { CaptureSuggestion } from '@/lib/messaging/protocol';
import type { Contact } from '@/lib/model';
import { companyDomainOf, nameKey, parentDomains } from './rules';

/** First word of a name as the `terms` index spells it, to narrow the scan. */
function indexWord(name: string): string | undefined {
  return name.toLowerCase().split(/[\s,;<>()"'|]+/).filter(Boolean).sort((a, b) => b.length - a.length)[0]?.slice(0, 60);
}

/**
 * Other live contacts that may be the same person: same name under another address.
 * Read-only; the rep merges or dismisses in the panel.
 */
export async function possibleDuplicates(c: Pick<Contact, 'id' | 'name'>): Promise<CaptureSuggestion['duplicates']> {
  const key = nameKey(c.name);
  const word = c.name ? indexWord(c.name) : undefined;
  if (!key || !word) return [];
  const candidates = await db.contacts.where('terms').equals(word).toArray();
  return candidates
    .filter((o) => o.id !== c.id && !o.deletedAt && nameKey(o.name) === key)
    .slice(0, 10)
    .map((o) => ({ contactId: o.id, name: o.name, email: o.emails[0]! }));
}

/** A company at a parent domain of the address, when the contact has none yet. */
export async function suggestedCompany(c: Pick<Contact, 'companyId' | 'emails'>): Promise<CaptureSuggestion['company']> {
  if (c.companyId) return undefined;
  for (const email of c.emails) {
    const d = companyDomainOf(email);
    if (!d) continue;
    for (const parent of parentDomains(d)) {
      const found = await db.companies.where('domain').equals(parent).first();
      if (found && !found.deletedAt) return { id: found.id, domain: found.domain, name: found.name };
    }
  }
  return undefined;
}

/** Everything worth asking about one contact; null when there is nothing to ask. The panel uses it too. */
export async function suggestionsFor(c: Contact): Promise<CaptureSuggestion | null> {
  const [company, duplicates] = await Promise.all([suggestedCompany(c), possibleDuplicates(c)]);
  if (!company && !duplicates.length) return null;
  return { email: c.emails[0]!, contactId: c.id, company, duplicates };
}


