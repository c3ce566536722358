import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { contactTerms, termsFor } from '@/lib/db/schema';
import { newId, nowOf, type WriteOptions } from '@/lib/db/mutations';
import { orderedStages } from '@/lib/domain/pipeline';
import { Contact, Deal, Email, type Pipeline, type Settings } from '@/lib/model';
import type { ParsedCsv } from './csv-parse';
import { ImportRejected, type ImportIssue, type ProgressFn } from './issues';
import { duplicateTargets, missingRequired, type ColumnMapping, type FieldDef } from './mapping';
import { bulkEnqueue } from './outbox';

export type DealField = 'name' | 'pipeline' | 'stage' | 'amount' | 'currency' | 'expectedClose' | 'contactEmails' | 'leadSource' | 'nextStep' | 'nextStepDue' | 'closedReason';

/** Labels match the deals CSV export, so an export re-imports without remapping. */
export const DEAL_FIELDS: readonly FieldDef<DealField>[] = [
  { key: 'name', label: 'Deal name', required: true, aliases: ['deal', 'name', 'title', 'opportunity', 'opportunity name'] },
  { key: 'pipeline', label: 'Pipeline', aliases: ['pipeline name'] },
  { key: 'stage', label: 'Stage', aliases: ['deal stage', 'stage name'] },
  { key: 'amount', label: 'Amount', aliases: ['value', 'deal value', 'deal amount'] },
  { key: 'currency', label: 'Currency', aliases: ['currency code'] },
  { key: 'expectedClose', label: 'Expected close', aliases: ['close date', 'expected close date', 'closing date'] },
  { key: 'contactEmails', label: 'Contact emails', aliases: ['contact email', 'contacts', 'email', 'emails', 'contact'] },
  { key: 'leadSource', label: 'Lead source', aliases: ['source', 'original source', 'channel'] },
  { key: 'nextStep', label: 'Next step', aliases: ['next action'] },
  { key: 'nextStepDue', label: 'Next step due', aliases: ['next step date', 'next action date'] },
  { key: 'closedReason', label: 'Closed reason', aliases: ['lost reason', 'won reason', 'close reason'] },
];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Dates are ISO only: "03/04/2026" means March in one country and April in the next. */
export function parseIsoDate(s: string): number | null {
  const m = ISO_DATE.exec(s.trim());
  if (!m) return null;
  const t = s.length <= 10 ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12) : Date.parse(s);
  const d = new Date(t);
  if (Number.isNaN(t) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return null;
  return t;
}

/** "12,500.00", "$12500", "12 500" → 12500. Decimal commas are ambiguous and refused. */
export function parseAmount(s: string): number | null {
  const cleaned = s.replace(/[\s$€£¥]/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

export interface PlannedDeal {
  line: number;
  /** For updates: the stored version the preview was built on, to catch edits made since. */
  baseUpdatedAt?: number;
  action: 'create' | 'update';
  deal: Deal;
  pipelineName: string;
  stageName: string;
}

export interface DealImportPlan {
  items: PlannedDeal[];
  /** Contacts named by address that do not exist yet: created with the deals. */
  newContacts: Contact[];
  creates: number;
  updates: number;
}

/**
 * Validates every row and matches it against stored deals (same name in the same pipeline).
 * Updating a deal never moves its stage: stage moves go through the stage gate in the panel.
 */
export async function prepareDealImport(csv: ParsedCsv, mapping: ColumnMapping<DealField>, settings: Settings, o?: WriteOptions): Promise<DealImportPlan> {
  const now = nowOf(o);
  const issues: ImportIssue[] = csv.problems.map((p) => ({ line: p.line, message: p.message }));
  for (const f of missingRequired(mapping, DEAL_FIELDS)) issues.push({ line: 0, field: f.label, message: 'no column is mapped to it' });
  for (const k of duplicateTargets(mapping)) issues.push({ line: 0, field: label(k), message: 'more than one column is mapped to it' });
  if (issues.some((i) => i.line === 0)) throw new ImportRejected(issues);

  const [pipelines, storedDeals] = await Promise.all([db.pipelines.toArray(), db.deals.toArray()]);
  const defaultPipe = pipelines.find((p) => p.isDefault) ?? pipelines[0];
  const findPipeline = (s: string): Pipeline | undefined => pipelines.find((p) => p.id.toLowerCase() === s.toLowerCase() || p.name.toLowerCase() === s.toLowerCase());
  const key = (pipelineId: string, name: string) => `${pipelineId}\u0000${name.trim().toLowerCase()}`;
  const existing = new Map(storedDeals.filter((d) => !d.deletedAt).map((d) => [key(d.pipelineId, d.name), d]));

  const allEmails = new Set<string>();
  type Row = { line: number; fields: Omit<Deal, 'id' | 'contactIds' | 'createdAt' | 'updatedAt' | 'remoteIds' | 'stageHistory' | 'evidence'>; emails: string[]; pipe: Pipeline };
  const rows: Row[] = [];
  const seenInFile = new Map<string, number>();

  for (const row of csv.rows) {
    const rowIssues: ImportIssue[] = [];
    const get = (k: DealField) => {
      const col = mapping.indexOf(k);
      return col < 0 ? '' : (row.cells[col] ?? '');
    };
    const where = (k: DealField) => {
      const header = csv.headers[mapping.indexOf(k)];
      return header && header !== label(k) ? `${label(k)} (column "${header}")` : label(k);
    };
    const bad = (k: DealField, message: string) => rowIssues.push({ line: row.line, field: where(k), message });

    if (row.cells.length > csv.headers.length && row.cells.slice(csv.headers.length).some(Boolean)) {
      rowIssues.push({ line: row.line, message: `has ${row.cells.length} values but the header has ${csv.headers.length} columns` });
    }
    const name = get('name');
    if (!name) bad('name', 'is empty; every deal needs a name');
    else if (name.length > 200) bad('name', 'is longer than 200 characters');

    const pipeName = get('pipeline');
    const pipe = pipeName ? findPipeline(pipeName) : defaultPipe;
    if (!pipe) bad('pipeline', pipeName ? `no pipeline is called "${pipeName}" (there are: ${pipelines.map((p) => p.name).join(', ')})` : 'no pipeline exists yet');

    const stageName = get('stage');
    const stages = pipe ? orderedStages(pipe) : [];
    const stage = stageName ? stages.find((s) => s.id.toLowerCase() === stageName.toLowerCase() || s.name.toLowerCase() === stageName.toLowerCase()) : stages.find((s) => s.outcome === 'open');
    if (pipe && !stage) bad('stage', stageName ? `"${pipe.name}" has no stage "${stageName}" (its stages: ${stages.map((s) => s.name).join(', ')})` : `"${pipe.name}" has no open stage`);

    let amount: Deal['amount'];
    const rawAmount = get('amount');
    const currency = (get('currency') || settings.defaultCurrency).toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) bad('currency', `"${get('currency')}" is not a three-letter currency code like USD`);
    if (rawAmount) {
      const v = parseAmount(rawAmount);
      if (v === null) bad('amount', `"${rawAmount}" is not an amount like 12500 or 12,500.00`);
      else amount = { value: v, currency };
    }

    let expectedCloseAt: number | undefined;
    const rawClose = get('expectedClose');
    if (rawClose) {
      const t = parseIsoDate(rawClose);
      if (t === null) bad('expectedClose', `"${rawClose}" is not a date written as YYYY-MM-DD`);
      else expectedCloseAt = t;
    }

    const emails: string[] = [];
    for (const raw of get('contactEmails').split(/[;,\s]+/).filter(Boolean)) {
      const e = Email.safeParse(raw);
      if (!e.success) bad('contactEmails', `"${raw}" is not an email address`);
      else if (!emails.includes(e.data)) emails.push(e.data);
    }
    if (emails.length > 100) bad('contactEmails', 'names more than 100 contacts');

    let nextStep: Deal['nextStep'];
    const stepText = get('nextStep');
    const stepDue = get('nextStepDue');
    if (stepText && !stepDue) bad('nextStepDue', 'is empty; a next step needs a date');
    if (!stepText && stepDue) bad('nextStep', 'is empty, but its date is set');
    if (stepText.length > 500) bad('nextStep', 'is longer than 500 characters');
    if (stepText && stepDue) {
      const t = parseIsoDate(stepDue);
      if (t === null) bad('nextStepDue', `"${stepDue}" is not a date written as YYYY-MM-DD`);
      else nextStep = { text: stepText, dueAt: t };
    }

    const leadSource = get('leadSource');
    if (leadSource.length > 80) bad('leadSource', 'is longer than 80 characters');
    const closedReason = get('closedReason');
    if (closedReason.length > 500) bad('closedReason', 'is longer than 500 characters');

    if (pipe && name) {
      const k = key(pipe.id, name);
      const prev = seenInFile.get(k);
      if (prev !== undefined) bad('name', `repeats the deal on line ${prev}`);
      else seenInFile.set(k, row.line);
    }
    if (rowIssues.length || !pipe || !stage) {
      issues.push(...rowIssues);
      continue;
    }
    for (const e of emails) allEmails.add(e);
    const closed = stage.outcome !== 'open';
    rows.push({
      line: row.line,
      emails,
      pipe,
      fields: {
        name,
        pipelineId: pipe.id,
        stageId: stage.id,
        status: stage.outcome,
        ...(amount && { amount }),
        ...(expectedCloseAt !== undefined && { expectedCloseAt }),
        ...(nextStep && { nextStep }),
        ...(leadSource && { leadSource }),
        ...(closed && { closedAt: expectedCloseAt ?? now, ...(closedReason && { closedReason }) }),
      },
    });
  }
  if (!csv.rows.length) issues.push({ line: 0, message: 'the file has a header but no rows' });
  if (issues.length) throw new ImportRejected(issues);

  const contactIdByEmail = new Map<string, string>();
  const emailList = [...allEmails];
  for (let i = 0; i < emailList.length; i += 1000) {
    for (const c of await db.contacts.where('emails').anyOf(emailList.slice(i, i + 1000)).toArray()) for (const e of c.emails) contactIdByEmail.set(e, c.id);
  }
  const newContacts: Contact[] = [];
  for (const e of emailList) {
    if (contactIdByEmail.has(e)) continue;
    const c = Contact.parse({ id: newId(), emails: [e], source: { origin: 'import' }, createdAt: now, updatedAt: now, remoteIds: {} });
    newContacts.push(c);
    contactIdByEmail.set(e, c.id);
  }

  const items: PlannedDeal[] = [];
  for (const r of rows) {
    const stageName = r.pipe.stages.find((s) => s.id === r.fields.stageId)!.name;
    const contactIds = r.emails.map((e) => contactIdByEmail.get(e)!);
    const cur = existing.get(key(r.pipe.id, r.fields.name));
    if (cur) {
      if (cur.stageId !== r.fields.stageId) {
        const curStage = r.pipe.stages.find((s) => s.id === cur.stageId)?.name ?? cur.stageId;
        issues.push({ line: r.line, field: 'Stage', message: `the existing deal "${cur.name}" is in ${curStage}; move its stage in the side panel, where the stage gate asks for evidence` });
        continue;
      }
      const { terms: _t, ...rest } = cur;
      const deal = Deal.parse({
        ...rest,
        ...(r.fields.amount && { amount: r.fields.amount }),
        ...(r.fields.expectedCloseAt !== undefined && { expectedCloseAt: r.fields.expectedCloseAt }),
        ...(r.fields.nextStep && { nextStep: r.fields.nextStep }),
        ...(r.fields.leadSource && { leadSource: r.fields.leadSource }),
        contactIds: [...new Set([...cur.contactIds, ...contactIds])].slice(0, 100),
        updatedAt: now,
      });
      items.push({ line: r.line, action: 'update', deal, pipelineName: r.pipe.name, stageName, baseUpdatedAt: cur.updatedAt });
    } else {
      const deal = Deal.parse({ ...r.fields, id: newId(), contactIds, stageHistory: [{ stageId: r.fields.stageId, enteredAt: now }], evidence: {}, createdAt: now, updatedAt: now, remoteIds: {} });
      items.push({ line: r.line, action: 'create', deal, pipelineName: r.pipe.name, stageName });
    }
  }
  if (issues.length) throw new ImportRejected(issues);
  const creates = items.filter((i) => i.action === 'create').length;
  return { items, newContacts, creates, updates: items.length - creates };
}

/** Writes the plan in ONE transaction, chunked for progress: all deals and new contacts, or none. */
export async function applyDealImport(plan: DealImportPlan, opts: WriteOptions & { onProgress?: ProgressFn; chunkSize?: number } = {}): Promise<{ created: number; updated: number; contactsCreated: number }> {
  const chunk = opts.chunkSize ?? 250;
  const total = plan.items.length + plan.newContacts.length;
  return db.transaction('rw', [db.deals, db.contacts, db.outbox], async () => {
    let done = 0;
    opts.onProgress?.(0, total);
    for (let i = 0; i < plan.newContacts.length; i += chunk) {
      const slice = plan.newContacts.slice(i, i + chunk);
      await db.contacts.bulkAdd(slice.map((c) => ({ ...c, terms: contactTerms(c) })));
      await bulkEnqueue('contact', slice.map((c) => c.id), opts);
      done += slice.length;
      opts.onProgress?.(done, total);
    }
    for (let i = 0; i < plan.items.length; i += chunk) {
      const slice = plan.items.slice(i, i + chunk);
      const updates = slice.filter((it) => it.action === 'update');
      const current = await db.deals.bulkGet(updates.map((it) => it.deal.id));
      updates.forEach((it, n) => {
        if (current[n]?.updatedAt !== it.baseUpdatedAt) {
          throw new AppError('conflict', `“${it.deal.name}” changed after the preview (line ${it.line}). Nothing was imported; choose the file again to re-check it.`);
        }
      });
      // The last activity moves with logging, not with edits (updatedAt): take it as stored now.
      const lastOf = new Map(current.flatMap((d) => (d?.lastActivityAt !== undefined ? [[d.id, d.lastActivityAt] as const] : [])));
      await db.deals.bulkPut(
        slice.map((p) => {
          const { lastActivityAt: _l, ...deal } = p.deal;
          const last = lastOf.get(deal.id);
          return { ...deal, ...(last !== undefined && { lastActivityAt: last }), terms: termsFor(deal.name) };
        }),
      );
      await bulkEnqueue('deal', slice.map((p) => p.deal.id), opts);
      done += slice.length;
      opts.onProgress?.(done, total);
    }
    return { created: plan.creates, updated: plan.updates, contactsCreated: plan.newContacts.length };
  });
}

function label(k: DealField): string {
  return DEAL_FIELDS.find((f) => f.key === k)?.label ?? k;
}
