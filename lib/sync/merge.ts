import { db } from '@/lib/db';
import { createContact, createTask, ensureCompany, updateCompany, updateContact, updateDeal, updateTask, deleteActivity, deleteContact, deleteDeal } from '@/lib/db/mutations';
import { termsFor } from '@/lib/db/schema';
import type { z } from 'zod';
import { Activity, Company, Contact, Deal, Task } from '@/lib/model';
import { localIdOf, tableOf, writeRemoteId } from './store';
import type { RemoteRecord, SyncKind } from './types';

/**
 * Merge rules (also in the README, section sync):
 * - The CRM is the team's shared record: for fields both sides know, a remote change wins…
 * - …unless the local record has an edit still in the outbox. Then every field where the two
 *   differ becomes a conflict row for the user; neither side is overwritten until they choose.
 * - Fields only Threadline has (status, evidence, stage history, last touched) are never touched.
 * - A remote deletion becomes a local tombstone; with a pending local edit it is a conflict instead.
 * - A page older than, or as old as, what we merged for that record is skipped (our own echo).
 */

const MODEL: Record<SyncKind, z.ZodObject> = { contact: Contact, company: Company, deal: Deal, task: Task, activity: Activity };

/**
 * Whether every field a CRM sent could be stored. Checked before a page's transaction, not left
 * to the mutations: they parse inside nested transactions, and Dexie aborts the parent along
 * with a failed child, so one such record would fail its whole page on every run.
 */
export function fitsModel(rec: RemoteRecord): boolean {
  if (rec.deleted) return true;
  const shape = MODEL[rec.kind].shape as Record<string, z.ZodType | undefined>;
  return Object.entries(rec.fields).every(([k, v]) => shape[k]?.safeParse(v).success ?? true);
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const REMOTE = { origin: 'remote' } as const;

export interface MergeOutcome {
  created: number;
  updated: number;
  deleted: number;
  conflicts: number;
  skipped: number;
}

async function hasPendingEdit(kind: SyncKind, id: string): Promise<boolean> {
  return (await db.outbox.where('[entity+entityId]').equals([kind, id]).count()) > 0;
}

async function findLocal(pid: string, rec: RemoteRecord): Promise<string | undefined> {
  const mapped = await localIdOf(pid, rec.kind, rec.remoteId);
  // A tombstone applies only to a record we know is linked: a deleted remote twin that shares
  // an email or a domain with an unlinked local record says nothing about ours.
  if (mapped || rec.deleted) return mapped;
  // First sync: match what both sides already have by its natural key.
  if (rec.kind === 'contact') {
    const emails = (rec.fields.emails as string[] | undefined) ?? [];
    if (emails.length) return (await db.contacts.where('emails').anyOf(emails).first())?.id;
  }
  if (rec.kind === 'company' && typeof rec.fields.domain === 'string') {
    return (await db.companies.where('domain').equals(rec.fields.domain).first())?.id;
  }
  return undefined;
}

async function resolveLinks(pid: string, rec: RemoteRecord): Promise<{ companyId?: string; contactIds?: string[]; dealId?: string }> {
  const out: { companyId?: string; contactIds?: string[]; dealId?: string } = {};
  if (rec.links?.companyId) out.companyId = await localIdOf(pid, 'company', rec.links.companyId);
  if (rec.links?.contactIds) out.contactIds = (await Promise.all(rec.links.contactIds.map((r) => localIdOf(pid, 'contact', r)))).filter((x): x is string => Boolean(x));
  if (rec.links?.dealId) out.dealId = await localIdOf(pid, 'deal', rec.links.dealId);
  return out;
}

/** Remote fields in local shape, for the fields the provider sent. */
async function remoteView(pid: string, rec: RemoteRecord): Promise<Record<string, unknown>> {
  const view: Record<string, unknown> = { ...rec.fields };
  const links = await resolveLinks(pid, rec);
  if (rec.kind === 'contact' && links.companyId) view.companyId = links.companyId;
  if (rec.kind === 'deal') {
    if (links.contactIds?.length) view.contactIds = links.contactIds;
    if (links.companyId) view.companyId = links.companyId;
    if (rec.stage) {
      const p = await db.pipelines.filter((x) => x.remoteIds[pid] === rec.stage!.pipelineId).first();
      const st = p?.stages.find((s) => s.id === rec.stage!.stageId);
      if (p && st) {
        view.pipelineId = p.id;
        view.stageId = st.id;
        // CRMs that close deals by stage (HubSpot, Twenty) say won or lost through the stage.
        if (view.status === undefined) view.status = st.outcome;
      }
    }
  }
  if (rec.kind === 'task') {
    if (links.contactIds?.[0]) view.contactId = links.contactIds[0];
    if (links.dealId) view.dealId = links.dealId;
  }
  return view;
}

function compare(kind: SyncKind, local: Record<string, unknown>, remote: Record<string, unknown>): Record<string, unknown> {
  const diff: Record<string, unknown> = {};
  for (const [f, v] of Object.entries(remote)) {
    if (v === undefined) continue;
    if (kind === 'contact' && f === 'emails') {
      // The CRM keeps one primary address; ours may hold more. Only a new address is a difference.
      const mine = (local.emails as string[]) ?? [];
      const extra = (v as string[]).filter((e) => !mine.includes(e));
      if (extra.length) diff.emails = [...mine, ...extra];
      continue;
    }
    if (!equal(local[f], v)) diff[f] = v;
  }
  return diff;
}

async function applyPatch(kind: SyncKind, id: string, patch: Record<string, unknown>): Promise<void> {
  if (!Object.keys(patch).length) return;
  if (kind === 'contact') await updateContact(id, patch, REMOTE);
  else if (kind === 'company') await updateCompany(id, patch, REMOTE);
  else if (kind === 'task') await updateTask(id, patch, REMOTE);
  else if (kind === 'deal') {
    const { pipelineId, stageId, status, ...rest } = patch as Partial<Deal>;
    if (Object.keys(rest).length) await updateDeal(id, rest, REMOTE);
    if (pipelineId !== undefined || stageId !== undefined || status !== undefined) {
      // The CRM already moved the deal; the local stage gate guides reps, it does not veto the team's record.
      const cur = await db.deals.get(id);
      if (!cur) return;
      const now = Date.now();
      const next: Deal = Deal.parse({
        ...cur,
        pipelineId: pipelineId ?? cur.pipelineId,
        stageId: stageId ?? cur.stageId,
        status: status ?? cur.status,
        stageHistory:
          stageId && stageId !== cur.stageId
            ? [...cur.stageHistory.map((v) => (v.leftAt ? v : { ...v, leftAt: now })), { stageId, enteredAt: now }]
            : cur.stageHistory,
      });
      await db.deals.put({ ...next, terms: termsFor(next.name) });
    }
  }
}

async function tombstone(kind: SyncKind, id: string): Promise<void> {
  if (kind === 'contact') await deleteContact(id, REMOTE);
  else if (kind === 'deal') await deleteDeal(id, REMOTE);
  else if (kind === 'company') await updateCompany(id, { deletedAt: Date.now() }, REMOTE);
  // Through the mutation: the timeline links go, and the facts derived from it are recounted.
  else if (kind === 'activity') await deleteActivity(id, REMOTE);
  else await tableOf(kind).update(id, { deletedAt: Date.now() });
}

async function createLocal(pid: string, rec: RemoteRecord, view: Record<string, unknown>): Promise<string | undefined> {
  const f = view;
  if (rec.kind === 'contact') {
    const emails = (f.emails as string[] | undefined) ?? [];
    if (!emails.length) return undefined;
    const c = await createContact(
      { emails, name: f.name as string | undefined, title: f.title as string | undefined, phone: f.phone as string | undefined, companyId: f.companyId as string | undefined, source: { origin: 'sync' } },
      REMOTE,
    );
    return c.id;
  }
  if (rec.kind === 'company') {
    if (typeof f.domain !== 'string') return undefined;
    return (await ensureCompany(f.domain, f.name as string | undefined, REMOTE)).id;
  }
  if (rec.kind === 'task') {
    if (typeof f.title !== 'string' || typeof f.dueAt !== 'number') return undefined;
    const t = await createTask({ kind: 'follow_up', title: f.title, dueAt: f.dueAt, contactId: f.contactId as string | undefined, dealId: f.dealId as string | undefined }, REMOTE);
    if (f.status && f.status !== 'open') await updateTask(t.id, { status: f.status as 'done' }, REMOTE);
    return t.id;
  }
  if (rec.kind === 'deal') {
    if (typeof f.name !== 'string' || typeof f.pipelineId !== 'string' || typeof f.stageId !== 'string') return undefined;
    const now = Date.now();
    const deal = Deal.parse({
      id: crypto.randomUUID(),
      name: f.name,
      pipelineId: f.pipelineId,
      stageId: f.stageId,
      amount: f.amount,
      expectedCloseAt: f.expectedCloseAt,
      contactIds: (f.contactIds as string[] | undefined) ?? [],
      companyId: f.companyId,
      status: f.status ?? 'open',
      stageHistory: [{ stageId: f.stageId, enteredAt: now }],
      evidence: {},
      createdAt: now,
      updatedAt: now,
      remoteIds: {},
    });
    // Remote-originated: no outbox row.
    await db.deals.add({ ...deal, terms: termsFor(deal.name) });
    return deal.id;
  }
  return undefined;
}

/** Merges one remote record; runs inside the caller's transaction. */
export async function mergeRecord(pid: string, rec: RemoteRecord, out: MergeOutcome, now: number): Promise<void> {
  const localId = await findLocal(pid, rec);
  if (localId) {
    const map = await db.remoteMap.get([pid, rec.kind, rec.remoteId]);
    if (map?.remoteUpdatedAt !== undefined && map.remoteUpdatedAt >= rec.updatedAt) {
      out.skipped++;
      return;
    }
  }
  if (!localId) {
    if (rec.deleted) return void out.skipped++;
    const id = await createLocal(pid, rec, await remoteView(pid, rec));
    if (!id) return void out.skipped++;
    await writeRemoteId(pid, rec.kind, id, rec.remoteId, rec.updatedAt);
    out.created++;
    return;
  }
  const local = (await tableOf(rec.kind).get(localId)) as Record<string, unknown> | undefined;
  if (!local) return void out.skipped++;
  const pending = await hasPendingEdit(rec.kind, localId);
  if (rec.deleted) {
    if (local.deletedAt) return void out.skipped++;
    if (pending) await addConflict(pid, rec.kind, localId, '_deleted', false, true, now, out);
    else {
      await tombstone(rec.kind, localId);
      out.deleted++;
    }
    await writeRemoteId(pid, rec.kind, localId, rec.remoteId, rec.updatedAt);
    return;
  }
  const diff = compare(rec.kind, local, await remoteView(pid, rec));
  if (pending) {
    for (const [field, remote] of Object.entries(diff)) await addConflict(pid, rec.kind, localId, field, local[field], remote, now, out);
  } else if (Object.keys(diff).length) {
    await applyPatch(rec.kind, localId, diff);
    out.updated++;
  }
  await writeRemoteId(pid, rec.kind, localId, rec.remoteId, rec.updatedAt);
}

async function addConflict(pid: string, entity: SyncKind, entityId: string, field: string, local: unknown, remote: unknown, now: number, out: MergeOutcome): Promise<void> {
  const open = await db.conflicts.where('[entity+entityId]').equals([entity, entityId]).filter((c) => !c.resolvedAt && c.field === field && c.providerId === pid).first();
  if (open) {
    // Same disagreement seen again: refresh the remote side rather than stacking rows.
    if (!equal(open.remote, remote)) await db.conflicts.update(open.id!, { remote, local, detectedAt: now });
    return;
  }
  await db.conflicts.add({ entity, entityId, providerId: pid, field, local, remote, detectedAt: now });
  out.conflicts++;
}

/** The user's choice on a conflict. keep-local re-queues the local value; keep-remote writes the CRM's. */
export async function resolveConflict(id: number, choice: 'local' | 'remote', now = Date.now()): Promise<void> {
  const c = await db.conflicts.get(id);
  if (!c || c.resolvedAt) return;
  if (choice === 'remote') {
    if (c.field === '_deleted') await tombstone(c.entity, c.entityId);
    else await applyLocalEdit(c.entity, c.entityId, { [c.field]: c.remote });
  } else {
    // Re-queue so the local value is what the CRM ends up with.
    await applyLocalEdit(c.entity, c.entityId, {});
  }
  await db.conflicts.update(id, { resolvedAt: now });
}

async function applyLocalEdit(kind: SyncKind, id: string, patch: Record<string, unknown>): Promise<void> {
  if (kind === 'contact') await updateContact(id, patch);
  else if (kind === 'company') await updateCompany(id, patch);
  else if (kind === 'task') await updateTask(id, patch);
  else if (kind === 'deal') {
    const { pipelineId: _p, stageId: _s, status: _st, ...rest } = patch as Partial<Deal>;
    await updateDeal(id, rest);
  }
}
