import { AppError } from '@/lib/errors';
import { Company, Contact, domainOf, type Source } from '@/lib/model';
import { refreshContactFacts } from '../derived';
import { db } from '../index';
import { contactTerms, termsFor } from '../schema';
import { enqueue, newId, nowOf, type WriteOptions } from './tx';

export interface NewContact {
  emails: string[];
  name?: string;
  companyId?: string;
  title?: string;
  phone?: string;
  lifecycleStage?: Contact['lifecycleStage'];
  status?: Contact['status'];
  source: Source;
  lastTouchedAt?: number;
  remoteIds?: Record<string, string>;
}

export async function createContact(input: NewContact, o?: WriteOptions): Promise<Contact> {
  const now = nowOf(o);
  const contact = Contact.parse({
    ...input,
    id: newId(),
    emails: [...new Set(input.emails.map((e) => e.trim().toLowerCase()))],
    createdAt: now,
    updatedAt: now,
    remoteIds: input.remoteIds ?? {},
  });
  return db.transaction('rw', db.contacts, db.outbox, async () => {
    const clash = await db.contacts.where('emails').anyOf(contact.emails).first();
    if (clash) throw new AppError('conflict', `A contact with ${contact.emails.find((e) => clash.emails.includes(e))} already exists.`, { id: clash.id });
    await db.contacts.add({ ...contact, terms: contactTerms(contact) });
    await enqueue('contact', contact.id, 'upsert', o);
    return contact;
  });
}

/** Derived email facts are the store's to keep, not an edit's. */
export type ContactPatch = Partial<Omit<Contact, 'id' | 'createdAt' | 'remoteIds' | 'lastOutbound' | 'lastReply'>>;

export async function updateContact(id: string, patch: ContactPatch, o?: WriteOptions): Promise<Contact> {
  return db.transaction('rw', [db.contacts, db.activities, db.timeline, db.outbox], async () => {
    const cur = await db.contacts.get(id);
    if (!cur) throw new AppError('not_found', 'That contact no longer exists.');
    const { terms: _t, awaitingReplySince: _a, customerQuietSince: _q, ...rest } = cur;
    const { lastOutbound: _o, lastReply: _r, ...edit } = patch as Partial<Contact>;
    const next = Contact.parse({ ...rest, ...edit, id, updatedAt: nowOf(o) });
    await db.contacts.put({ ...next, terms: contactTerms(next) });
    // Which inbound email counts as their reply depends on their addresses.
    const readdressed = next.emails.join() !== cur.emails.join();
    if (readdressed) await refreshContactFacts(db, [id]);
    await enqueue('contact', id, 'upsert', o);
    return readdressed ? Contact.parse(await db.contacts.get(id)) : next;
  });
}

/** Bumps last-touched without counting as an edit the CRM must hear about twice. */
export async function touchContacts(ids: string[], at: number, o?: WriteOptions): Promise<void> {
  await db.transaction('rw', db.contacts, db.outbox, async () => {
    for (const c of await db.contacts.bulkGet(ids)) {
      if (!c || (c.lastTouchedAt ?? 0) >= at) continue;
      await db.contacts.update(c.id, { lastTouchedAt: at, updatedAt: nowOf(o) });
      await enqueue('contact', c.id, 'upsert', o);
    }
  });
}

export async function deleteContact(id: string, o?: WriteOptions): Promise<void> {
  await db.transaction('rw', db.contacts, db.outbox, async () => {
    const n = await db.contacts.update(id, { deletedAt: nowOf(o), updatedAt: nowOf(o) });
    if (!n) throw new AppError('not_found', 'That contact no longer exists.');
    await enqueue('contact', id, 'delete', o);
  });
}

/** Finds the company for a domain, creating it if needed (domain is unique). */
export async function ensureCompany(domain: string, name?: string, o?: WriteOptions): Promise<Company> {
  const d = domain.trim().toLowerCase();
  return db.transaction('rw', db.companies, db.outbox, async () => {
    const found = await db.companies.where('domain').equals(d).first();
    if (found) {
      const { terms: _t, ...rest } = found;
      return rest;
    }
    const now = nowOf(o);
    const company = Company.parse({ id: newId(), domain: d, name, createdAt: now, updatedAt: now, remoteIds: {} });
    await db.companies.add({ ...company, terms: termsFor(company.name, company.domain) });
    await enqueue('company', company.id, 'upsert', o);
    return company;
  });
}

export async function updateCompany(id: string, patch: Partial<Pick<Company, 'name' | 'domain' | 'deletedAt'>>, o?: WriteOptions): Promise<Company> {
  return db.transaction('rw', db.companies, db.outbox, async () => {
    const cur = await db.companies.get(id);
    if (!cur) throw new AppError('not_found', 'That company no longer exists.');
    const { terms: _t, ...rest } = cur;
    const next = Company.parse({ ...rest, ...patch, updatedAt: nowOf(o) });
    await db.companies.put({ ...next, terms: termsFor(next.name, next.domain) });
    await enqueue('company', id, 'upsert', o);
    return next;
  });
}

export { domainOf };
