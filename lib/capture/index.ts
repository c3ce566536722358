import { db } from '@/lib/db';
import { addActivities, createContact, ensureCompany, touchContacts, updateContact, type WriteOptions } from '@/lib/db/mutations';
import { contactsByEmails, getSettings } from '@/lib/db/queries';
import type { CapturePreview, CaptureSuggestion, Receipt } from '@/lib/messaging/protocol';
import type { Activity, Company, Contact, PageContext } from '@/lib/model';
import { keyPrefix, planCapture } from './plan';
import { companyDomainOf, parentDomains } from './rules';
import { suggestionsFor } from './suggest';

export { keyPrefix, planCapture, applyPrivacy, contextWithinPrivacy } from './plan';
export { skipReason, usableName, nameKey, companyDomainOf } from './rules';
export { suggestionsFor, possibleDuplicates, suggestedCompany } from './suggest';

export interface CaptureOptions extends WriteOptions {
  /** The connected CRM, if any: its logs are "queued" until every activity has its remote id. */
  provider?: string;
}

/** Addresses held by tombstoned contacts: the unique email index still holds them. */
async function deletedEmails(emails: string[]): Promise<Set<string>> {
  const rows = emails.length ? await db.contacts.where('emails').anyOf(emails).toArray() : [];
  return new Set(rows.filter((c) => c.deletedAt).flatMap((c) => c.emails).filter((e) => emails.includes(e)));
}

/**
 * The company a new contact joins: the one with exactly its domain, else a new one. None when
 * a company exists at a parent domain (eu.acme.com vs acme.com): that is offered, not assumed.
 */
async function companyFor(email: string, o: WriteOptions): Promise<Company | undefined> {
  const domain = companyDomainOf(email);
  if (!domain) return undefined;
  const exact = await db.companies.where('domain').equals(domain).first();
  if (exact) return exact.deletedAt ? undefined : exact;
  for (const parent of parentDomains(domain)) if (await db.companies.where('domain').equals(parent).first()) return undefined;
  return ensureCompany(domain, undefined, o);
}

function stateOf(acts: Pick<Activity, 'remoteIds'>[], provider: string | undefined): Receipt['state'] {
  if (!provider) return 'logged';
  return acts.length > 0 && acts.every((a) => a.remoteIds[provider]) ? 'synced' : 'queued';
}

/**
 * Logs a page in one transaction: contacts found or created by exact email, one activity per
 * new message, last-touched dates, and deal links. All of it lands, or none. Logging again adds
 * only what is new.
 */
export async function capturePage(ctx: PageContext, o: CaptureOptions = {}): Promise<Receipt> {
  const now = o.now ?? Date.now();
  const w: WriteOptions = { now, origin: o.origin };
  const settings = await getSettings();
  const plan = planCapture(ctx, settings, now);

  return db.transaction('rw', [db.contacts, db.companies, db.activities, db.timeline, db.deals, db.outbox], async () => {
    const emails = plan.people.map((p) => p.email);
    const known = await contactsByEmails(emails);
    const gone = await deletedEmails(emails.filter((e) => !known.has(e)));
    const skipped: Receipt['skipped'] = [...plan.skipped, ...[...gone].map((email) => ({ email, reason: 'deleted' as const }))];

    const byEmail = new Map<string, Contact>(known);
    const created: Contact[] = [];
    for (const p of plan.people) {
      if (gone.has(p.email)) continue;
      const cur = byEmail.get(p.email);
      if (cur) {
        // A contact first seen without a name gets the one this page shows; a name never gets overwritten.
        if (!cur.name && p.name) byEmail.set(p.email, await updateContact(cur.id, { name: p.name }, w));
        continue;
      }
      const company = await companyFor(p.email, w);
      const c = await createContact(
        { emails: [p.email], name: p.name, companyId: company?.id, lifecycleStage: 'lead', status: 'new', source: { origin: 'capture', site: ctx.site } },
        w,
      );
      byEmail.set(p.email, c);
      created.push(c);
    }

    const openDealsOf = new Map<string, string[]>();
    for (const c of new Set(byEmail.values())) {
      const deals = await db.deals.where('contactIds').equals(c.id).toArray();
      openDealsOf.set(c.id, deals.filter((d) => d.status === 'open' && !d.deletedAt).map((d) => d.id));
    }

    const ambiguousKeys = new Set<string>();
    const inputs = plan.activities.flatMap(({ activity, contactEmails }) => {
      const contactIds = [...new Set(contactEmails.flatMap((e) => byEmail.get(e)?.id ?? []))];
      if (!contactIds.length) return [];
      const deals = [...new Set(contactIds.flatMap((id) => openDealsOf.get(id) ?? []))];
      if (deals.length > 1) ambiguousKeys.add(activity.externalKey!);
      return [{ ...activity, contactIds, dealId: deals.length === 1 ? deals[0] : undefined }];
    });
    const { added, existing } = await addActivities(inputs, w);

    // Last touched follows the newest activity each contact took part in; it never moves back.
    const latest = new Map<string, number>();
    for (const a of added) for (const id of a.contactIds) latest.set(id, Math.max(latest.get(id) ?? 0, a.occurredAt));
    for (const [id, at] of latest) await touchContacts([id], at, w);

    const suggestions: CaptureSuggestion[] = [];
    for (const c of created) {
      const s = await suggestionsFor(c);
      if (s) suggestions.push(s);
    }

    return {
      key: keyPrefix(ctx),
      added: added.length,
      existing: existing.length,
      contactsCreated: created.length,
      contactIds: [...new Set([...byEmail.values()].map((c) => c.id))],
      skipped,
      needsDeal: added.filter((a) => ambiguousKeys.has(a.externalKey!)).map((a) => a.id),
      suggestions,
      state: stateOf([...added, ...existing], o.provider),
    } satisfies Receipt;
  });
}

/** Exactly what `capturePage` would store, without writing anything. */
export async function previewCapture(ctx: PageContext, now = Date.now()): Promise<CapturePreview> {
  const settings = await getSettings();
  const plan = planCapture(ctx, settings, now);
  const emails = plan.people.map((p) => p.email);
  const known = await contactsByEmails(emails);
  const gone = await deletedEmails(emails.filter((e) => !known.has(e)));
  const stored = new Set(
    (await db.activities.where('externalKey').anyOf(plan.activities.map((a) => a.activity.externalKey!)).toArray()).map((a) => a.externalKey),
  );
  return {
    privacy: settings.privacy,
    activities: plan.activities
      .filter(({ activity: a, contactEmails }) => !stored.has(a.externalKey) && contactEmails.some((e) => !gone.has(e)))
      .map(({ activity: a }) => ({
        kind: a.kind,
        occurredAt: a.occurredAt,
        subject: a.subject,
        snippet: a.snippet,
        body: a.body,
        participants: a.participants?.map((p) => p.email) ?? [],
      })),
    contactsToCreate: emails.filter((e) => !known.has(e) && !gone.has(e)),
    skipped: [...plan.skipped, ...[...gone].map((email) => ({ email, reason: 'deleted' }))],
    acknowledged: settings.previewAcknowledged,
  };
}

/** The receipt of a page already logged, rebuilt from the store (no separate state to drift). */
export async function receiptFor(key: string, provider?: string): Promise<Receipt | null> {
  const acts = (await db.activities.where('externalKey').startsWith(key).toArray()).filter((a) => !a.deletedAt);
  if (!acts.length) return null;
  return {
    key,
    added: 0,
    existing: acts.length,
    contactsCreated: 0,
    contactIds: [...new Set(acts.flatMap((a) => a.contactIds))],
    skipped: [],
    needsDeal: [],
    suggestions: [],
    state: stateOf(acts, provider),
  };
}
