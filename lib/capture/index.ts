import { db } from '@/lib/db';
import { addActivities, createContact, ensureCompany, touchContacts, type WriteOptions } from '@/lib/db/mutations';
import { contactsByEmails, getSettings } from '@/lib/db/queries';
import type { CapturePreview, Receipt } from '@/lib/messaging/protocol';
import type { Contact, PageContext } from '@/lib/model';
import { keyPrefix, planCapture } from './plan';
import { companyDomainOf } from './rules';

export { keyPrefix, planCapture, applyPrivacy } from './plan';
export { skipReason, usableName } from './rules';

/**
 * Logs a page in one transaction: contacts found or created, one activity per new message,
 * last-touched dates, and deal links. Logging again adds only what is new.
 */
export async function capturePage(ctx: PageContext, o: WriteOptions & { connected?: boolean } = {}): Promise<Receipt> {
  const now = o.now ?? Date.now();
  const settings = await getSettings();
  const plan = planCapture(ctx, settings, now);

  return db.transaction('rw', [db.contacts, db.companies, db.activities, db.timeline, db.deals, db.outbox], async () => {
    const known = await contactsByEmails(plan.people.map((p) => p.email));
    let created = 0;
    const byEmail = new Map<string, Contact>(known);
    for (const p of plan.people) {
      if (byEmail.has(p.email)) continue;
      const domain = companyDomainOf(p.email);
      const company = domain ? await ensureCompany(domain, undefined, o) : undefined;
      const c = await createContact(
        { emails: [p.email], name: p.name, companyId: company?.id, lifecycleStage: 'lead', status: 'new', source: { origin: 'capture', site: ctx.site } },
        { ...o, now },
      );
      byEmail.set(p.email, c);
      created++;
    }

    const openDealsOf = new Map<string, string[]>();
    for (const c of new Set(byEmail.values())) {
      const deals = await db.deals.where('contactIds').equals(c.id).toArray();
      openDealsOf.set(c.id, deals.filter((d) => d.status === 'open' && !d.deletedAt).map((d) => d.id));
    }

    const inputs = plan.activities.map((a) => {
      const contactIds = [...new Set(a.contactEmails.map((e) => byEmail.get(e)!.id))];
      const deals = [...new Set(contactIds.flatMap((id) => openDealsOf.get(id) ?? []))];
      return { ...a.activity, contactIds, dealId: deals.length === 1 ? deals[0] : undefined, ambiguous: deals.length > 1 };
    });
    const { added, existing } = await addActivities(inputs.map(({ ambiguous: _a, ...rest }) => rest), { ...o, now });
    const ambiguousKeys = new Set(inputs.filter((i) => i.ambiguous).map((i) => i.externalKey));

    // Last touched follows the newest activity each contact took part in.
    const latest = new Map<string, number>();
    for (const a of added) for (const id of a.contactIds) latest.set(id, Math.max(latest.get(id) ?? 0, a.occurredAt));
    for (const [id, at] of latest) await touchContacts([id], at, { ...o, now });

    return {
      key: keyPrefix(ctx),
      added: added.length,
      existing: existing.length,
      contactsCreated: created,
      contactIds: [...new Set([...byEmail.values()].map((c) => c.id))],
      skipped: plan.skipped,
      needsDeal: added.filter((a) => ambiguousKeys.has(a.externalKey)).map((a) => a.id),
      state: o.connected ? 'queued' : 'logged',
    } satisfies Receipt;
  });
}

/** Exactly what `capturePage` would store, without writing anything. */
export async function previewCapture(ctx: PageContext, now = Date.now()): Promise<CapturePreview> {
  const settings = await getSettings();
  const plan = planCapture(ctx, settings, now);
  const known = await contactsByEmails(plan.people.map((p) => p.email));
  return {
    privacy: settings.privacy,
    activities: plan.activities.map(({ activity: a }) => ({
      kind: a.kind,
      occurredAt: a.occurredAt,
      subject: a.subject,
      snippet: a.snippet,
      body: a.body,
      participants: a.participants?.map((p) => p.email) ?? [],
    })),
    contactsToCreate: plan.people.filter((p) => !known.has(p.email)).map((p) => p.email),
    skipped: plan.skipped,
  };
}

/** The receipt of a page already logged, rebuilt from the store (no separate state to drift). */
export async function receiptFor(key: string, providerConnected?: string): Promise<Receipt | null> {
  const acts = await db.activities.where('externalKey').startsWith(key).toArray();
  if (!acts.length) return null;
  const synced = providerConnected ? acts.every((a) => a.remoteIds[providerConnected]) : false;
  return {
    key,
    added: 0,
    existing: acts.length,
    contactsCreated: 0,
    contactIds: [...new Set(acts.flatMap((a) => a.contactIds))],
    skipped: [],
    needsDeal: [],
    state: synced ? 'synced' : providerConnected ? 'queued' : 'logged',
  };
}
