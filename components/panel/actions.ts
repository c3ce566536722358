import { db } from '@/lib/db';
import { addActivities, createContact, createDeal, createTask, moveDealStage, setNextStep, updateContact, updateTask, type NewDeal } from '@/lib/db/mutations';
import type { StageMove } from '@/lib/domain/stage-gate';
import type { Contact, Deal, NextStep, SiteId, Task } from '@/lib/model';

/**
 * The panel's write flows, composed only of lib/db/mutations. Each one is what a single button
 * does, so a component never strings writes together itself.
 */

/** The reminder that carries a deal's next step; one per deal, found again by its rule key. */
export const nextStepKey = (dealId: string) => `next-step:${dealId}`;

async function upsertNextStepTask(deal: Pick<Deal, 'id' | 'name' | 'contactIds'>, step: NextStep, sourceUrl?: string): Promise<Task> {
  const existing = await db.tasks.where('ruleKey').equals(nextStepKey(deal.id)).first();
  const title = `${step.text} (${deal.name})`;
  if (existing) return updateTask(existing.id, { title, dueAt: step.dueAt, status: 'open', snoozedUntil: undefined, completedAt: undefined, ...(sourceUrl ? { sourceUrl } : {}) });
  return createTask({ kind: 'next_step', title, dueAt: step.dueAt, dealId: deal.id, contactId: deal.contactIds[0], ruleKey: nextStepKey(deal.id), ...(sourceUrl ? { sourceUrl } : {}) });
}

async function closeNextStepTask(dealId: string): Promise<void> {
  const existing = await db.tasks.where('ruleKey').equals(nextStepKey(dealId)).first();
  if (existing && existing.status === 'open') await updateTask(existing.id, { status: 'dismissed' });
}

export async function setDealNextStep(dealId: string, step: NextStep, sourceUrl?: string): Promise<Deal> {
  const deal = await setNextStep(dealId, step);
  await upsertNextStepTask(deal, step, sourceUrl);
  return deal;
}

export async function moveStage(dealId: string, move: StageMove, sourceUrl?: string): Promise<Deal> {
  const deal = await moveDealStage(dealId, move);
  if (deal.status === 'open' && move.nextStep) await upsertNextStepTask(deal, move.nextStep, sourceUrl);
  if (deal.status !== 'open') await closeNextStepTask(dealId);
  return deal;
}

export async function createDealWithNextStep(input: NewDeal, sourceUrl?: string): Promise<Deal> {
  const deal = await createDeal(input);
  if (input.nextStep) await upsertNextStepTask(deal, input.nextStep, sourceUrl);
  return deal;
}

export async function addFollowUp(contact: Pick<Contact, 'id' | 'name' | 'emails'>, title: string, dueAt: number, sourceUrl?: string): Promise<Task> {
  return createTask({ kind: 'follow_up', title: title.trim() || `Follow up with ${contact.name ?? contact.emails[0]}`, dueAt, contactId: contact.id, ...(sourceUrl ? { sourceUrl } : {}) });
}

export async function logNote(contactId: string, text: string, at: number, dealId?: string): Promise<void> {
  const body = text.trim();
  const firstLine = body.split('\n')[0]!.slice(0, 120);
  await addActivities([{ kind: 'note', occurredAt: at, contactIds: [contactId], subject: firstLine, body, direction: 'internal', ...(dealId ? { dealId } : {}) }]);
}

export interface CallLog {
  summary: string;
  notes?: string;
  minutes?: number;
  direction: 'inbound' | 'outbound';
}

export async function logCall(contactId: string, call: CallLog, at: number, dealId?: string): Promise<void> {
  const minutes = call.minutes && call.minutes > 0 ? call.minutes : undefined;
  await addActivities([
    {
      kind: 'call',
      occurredAt: at,
      ...(minutes ? { endAt: at + minutes * 60_000 } : {}),
      direction: call.direction,
      contactIds: [contactId],
      subject: call.summary.trim() || 'Call',
      ...(call.notes?.trim() ? { body: call.notes.trim() } : {}),
      ...(dealId ? { dealId } : {}),
    },
  ]);
}

export interface PersonDraft {
  email: string;
  name?: string;
  lifecycleStage?: Contact['lifecycleStage'];
  leadSource?: string;
  title?: string;
  site?: SiteId;
}

/** A detected person becomes a contact, linked to the company already known for their domain. */
export async function createContactFromPerson(p: PersonDraft): Promise<Contact> {
  const domain = p.email.slice(p.email.lastIndexOf('@') + 1).toLowerCase();
  const company = await db.companies.where('domain').equals(domain).first();
  return createContact({
    emails: [p.email],
    name: p.name?.trim() || undefined,
    title: p.title?.trim() || undefined,
    lifecycleStage: p.lifecycleStage,
    companyId: company && !company.deletedAt ? company.id : undefined,
    source: { origin: 'manual', ...(p.site ? { site: p.site } : {}), ...(p.leadSource ? { leadSource: p.leadSource } : {}) },
  });
}

/** "It's the same person": the new address joins the existing contact instead of a duplicate. */
export async function addAddressTo(contact: Contact, email: string): Promise<Contact> {
  return updateContact(contact.id, { emails: [...new Set([...contact.emails, email.toLowerCase()])] });
}
