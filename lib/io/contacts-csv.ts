import { companyDomainOf, skipReason } from '@/lib/capture/rules';
import { AppError } from '@/lib/errors';
import { db } from '@/lib/db';
import { refreshContactFacts } from '@/lib/db/derived';
import { contactTerms, termsFor } from '@/lib/db/schema';
import { newId, nowOf, type WriteOptions } from '@/lib/db/mutations';
import { Company, Contact, ContactStatus, Domain, Email, LifecycleStage, type Settings } from '@/lib/model';
import { parseCsv, type ParsedCsv } from './csv-parse';
import { ImportRejected, type ImportIssue, type ProgressFn } from './issues';
import { duplicateTargets, missingRequired, type ColumnMapping, type FieldDef } from './mapping';
import { bulkEnqueue } from './outbox';

export type ContactField =
  | 'email'
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'companyName'
  | 'companyDomain'
  | 'title'
  | 'phone'
  | 'lifecycleStage'
  | 'status'
  | 'leadSource';

export const CONTACT_FIELDS: readonly FieldDef<ContactField>[] = [
  { key: 'email', label: 'Email', required: true, aliases: ['e-mail', 'email address', 'emails', 'mail', 'work email', 'primary email'] },
  { key: 'firstName', label: 'First name', aliases: ['firstname', 'given name', 'first'] },
  { key: 'lastName', label: 'Last name', aliases: ['lastname', 'surname', 'family name', 'last'] },
  { key: 'companyName', label: 'Company', aliases: ['company name', 'organization', 'organisation', 'account', 'account name', 'employer'] },
  { key: 'companyDomain', label: 'Company domain', aliases: ['domain', 'website', 'company website', 'web site', 'url'] },
  { key: 'name', label: 'Name', aliases: ['full name', 'contact name', 'contact', 'display name'] },
  { key: 'title', label: 'Job title', aliases: ['title', 'position', 'role', 'job'] },
  { key: 'phone', label: 'Phone', aliases: ['phone number', 'mobile', 'telephone', 'tel', 'cell'] },
  { key: 'lifecycleStage', label: 'Lifecycle stage', aliases: ['lifecycle', 'lifecyclestage'] },
  { key: 'status', label: 'Status', aliases: ['lead status', 'contact status'] },
  { key: 'leadSource', label: 'Lead source', aliases: ['source', 'original source', 'channel', 'lead channel'] },
];

/** Spellings CRMs export for lifecycle stages, mapped to ours. */
const STAGE_SYNONYMS: Record<string, LifecycleStage> = {
  marketingqualifiedlead: 'mql',
  salesqualifiedlead: 'sql',
  marketingqualified: 'mql',
  salesqualified: 'sql',
  opp: 'opportunity',
  client: 'customer',
};

/** A validated row, before it is matched against the store. */
export interface ContactDraft {
  line: number;
  emails: string[];
  name?: string;
  companyName?: string;
  companyDomain?: string;
  title?: string;
  phone?: string;
  lifecycleStage?: LifecycleStage;
  status?: ContactStatus;
  leadSource?: string;
}

export interface ValidatedContacts {
  drafts: ContactDraft[];
  issues: ImportIssue[];
}

const WEBSITE_PREFIX = /^(https?:\/\/)?(www\.)?/i;

/** Checks every row against the mapping; collects every issue instead of stopping at the first. */
export function validateContactRows(csv: ParsedCsv, mapping: ColumnMapping<ContactField>, settings?: Settings): ValidatedContacts {
  const issues: ImportIssue[] = csv.problems.map((p) => ({ line: p.line, message: p.message }));
  for (const f of missingRequired(mapping, CONTACT_FIELDS)) issues.push({ line: 0, field: f.label, message: 'no column is mapped to it' });
  for (const k of duplicateTargets(mapping)) issues.push({ line: 0, field: label(k), message: 'more than one column is mapped to it' });
  if (issues.some((i) => i.line === 0)) return { drafts: [], issues };

  const drafts: ContactDraft[] = [];
  for (const row of csv.rows) {
    const rowIssues: ImportIssue[] = [];
    const fieldOf = (k: ContactField) => {
      const col = mapping.indexOf(k);
      return col < 0 ? '' : (row.cells[col] ?? '');
    };
    const where = (k: ContactField) => {
      const col = mapping.indexOf(k);
      const header = csv.headers[col];
      return header && header !== label(k) ? `${label(k)} (column "${header}")` : label(k);
    };
    const bad = (k: ContactField, message: string) => rowIssues.push({ line: row.line, field: where(k), message });

    if (row.cells.length > csv.headers.length && row.cells.slice(csv.headers.length).some(Boolean)) {
      rowIssues.push({ line: row.line, message: `has ${row.cells.length} values but the header has ${csv.headers.length} columns` });
    }

    const emails: string[] = [];
    const rawEmails = fieldOf('email').split(/[;,\s]+/).filter(Boolean);
    if (!rawEmails.length) bad('email', 'is empty; every contact needs an address');
    for (const raw of rawEmails) {
      const e = Email.safeParse(raw);
      if (!e.success) bad('email', `"${clip(raw)}" is not an email address`);
      else if (!emails.includes(e.data)) emails.push(e.data);
    }
    if (emails.length > 20) bad('email', 'has more than 20 addresses');
    if (settings) {
      for (const e of emails) if (skipReason({ email: e }, settings) === 'never_log') bad('email', `${e} is on your never-log list`);
    }

    const first = fieldOf('firstName');
    const last = fieldOf('lastName');
    const name = fieldOf('name') || [first, last].filter(Boolean).join(' ');
    if (name.length > 200) bad(mapping.includes('name') ? 'name' : 'firstName', 'is longer than 200 characters');

    const title = fieldOf('title');
    if (title.length > 200) bad('title', 'is longer than 200 characters');
    const phone = fieldOf('phone');
    if (phone.length > 60) bad('phone', 'is longer than 60 characters');
    const companyName = fieldOf('companyName');
    if (companyName.length > 200) bad('companyName', 'is longer than 200 characters');

    let companyDomain: string | undefined;
    const rawDomain = fieldOf('companyDomain');
    if (rawDomain) {
      const d = Domain.safeParse(rawDomain.replace(WEBSITE_PREFIX, '').split(/[/?#]/)[0] ?? '');
      if (d.success) companyDomain = d.data;
      else bad('companyDomain', `"${clip(rawDomain)}" is not a domain or website`);
    }

    let lifecycleStage: LifecycleStage | undefined;
    const rawStage = fieldOf('lifecycleStage');
    if (rawStage) {
      const key = rawStage.toLowerCase().replace(/[^a-z]/g, '');
      const parsed = LifecycleStage.safeParse(key);
      lifecycleStage = parsed.success ? parsed.data : STAGE_SYNONYMS[key];
      if (!lifecycleStage) bad('lifecycleStage', `"${clip(rawStage)}" is not one of ${LifecycleStage.options.join(', ')}`);
    }

    let status: ContactStatus | undefined;
    const rawStatus = fieldOf('status');
    if (rawStatus) {
      const parsed = ContactStatus.safeParse(rawStatus.toLowerCase().trim());
      if (parsed.success) status = parsed.data;
      else bad('status', `"${clip(rawStatus)}" is not one of ${ContactStatus.options.join(', ')}`);
    }

    const leadSource = fieldOf('leadSource');
    if (leadSource.length > 80) bad('leadSource', 'is longer than 80 characters');

    if (rowIssues.length) {
      issues.push(...rowIssues);
      continue;
    }
    drafts.push({
      line: row.line,
      emails,
      name: name || undefined,
      companyName: companyName || undefined,
      companyDomain,
      title: title || undefined,
      phone: phone || undefined,
      lifecycleStage,
      status,
      leadSource: leadSource || undefined,
    });
  }
  if (!csv.rows.length) issues.push({ line: 0, message: 'the file has a header but no rows' });
  return { drafts, issues };
}

export interface PlannedContact {
  /** Lines of the file merged into this contact (rows sharing an address are one person). */
  lines: number[];
  action: 'create' | 'update';
  contact: Contact;
  /** The company to link, by domain; created when missing. */
  companyDomain?: string;
  companyName?: string;
  /** For updates: the stored version the preview was built on, to catch edits made since. */
  baseUpdatedAt?: number;
}

export interface ContactImportPlan {
  items: PlannedContact[];
  creates: number;
  updates: number;
  /** Rows folded into an earlier row with a shared address. */
  merged: number;
}

/**
 * Matches validated rows against stored contacts by address. Rows sharing an address are merged
 * (later rows fill and override); a row matching two different stored contacts is an error.
 */
export async function planContactImport(drafts: ContactDraft[], o?: WriteOptions): Promise<{ plan: ContactImportPlan; issues: ImportIssue[] }> {
  const now = nowOf(o);
  const issues: ImportIssue[] = [];

  // Union rows that share any address, keeping the first row's position.
  const groups: ContactDraft[][] = [];
  const groupOfEmail = new Map<string, number>();
  for (const d of drafts) {
    const hits = [...new Set(d.emails.map((e) => groupOfEmail.get(e)).filter((g): g is number => g !== undefined))];
    const target = hits.length ? Math.min(...hits) : groups.push([]) - 1;
    for (const g of hits) {
      if (g === target) continue;
      groups[target]!.push(...groups[g]!);
      for (const x of groups[g]!) for (const e of x.emails) groupOfEmail.set(e, target);
      groups[g] = [];
    }
    groups[target]!.push(d);
    for (const e of d.emails) groupOfEmail.set(e, target);
  }

  const allEmails = [...groupOfEmail.keys()];
  const stored = new Map<string, Contact>();
  for (let i = 0; i < allEmails.length; i += 1000) {
    const chunk = allEmails.slice(i, i + 1000);
    for (const c of await db.contacts.where('emails').anyOf(chunk).toArray()) {
      const { terms: _t, ...rest } = c;
      for (const e of c.emails) stored.set(e, rest);
    }
  }

  const items: PlannedContact[] = [];
  let merged = 0;
  for (const group of groups) {
    if (!group.length) continue;
    group.sort((a, b) => a.line - b.line);
    merged += group.length - 1;
    const m: ContactDraft = { ...group[0]!, emails: [] };
    for (const d of group) {
      for (const [k, v] of Object.entries(d) as [keyof ContactDraft, unknown][]) if (v !== undefined && k !== 'emails' && k !== 'line') (m as unknown as Record<string, unknown>)[k] = v;
      for (const e of d.emails) if (!m.emails.includes(e)) m.emails.push(e);
    }
    const lines = group.map((d) => d.line);
    const matches = [...new Map(m.emails.map((e) => stored.get(e)).filter((c): c is Contact => Boolean(c)).map((c) => [c.id, c])).values()];
    if (matches.length > 1) {
      issues.push({ line: lines[0]!, field: 'Email', message: `its addresses belong to ${matches.length} different existing contacts (${matches.map((c) => c.emails[0]).join(', ')})` });
      continue;
    }
    const existing = matches[0];
    const companyDomain = m.companyDomain ?? (m.companyName || !existing?.companyId ? (companyDomainOf(m.emails[0]!) ?? undefined) : undefined);
    const emails = existing ? [...new Set([...existing.emails, ...m.emails])] : m.emails;
    if (emails.length > 20) {
      issues.push({ line: lines[0]!, field: 'Email', message: 'the contact would have more than 20 addresses' });
      continue;
    }
    const fields = {
      emails,
      ...(m.name && { name: m.name }),
      ...(m.title && { title: m.title }),
      ...(m.phone && { phone: m.phone }),
      ...(m.lifecycleStage && { lifecycleStage: m.lifecycleStage }),
      ...(m.status && { status: m.status }),
    };
    const parsed = existing
      ? Contact.safeParse({
          ...existing,
          ...fields,
          // Revived: an import naming a deleted contact means the rep wants it back.
          deletedAt: undefined,
          source: m.leadSource && !existing.source.leadSource ? { ...existing.source, leadSource: m.leadSource } : existing.source,
          updatedAt: now,
        })
      : Contact.safeParse({
          ...fields,
          id: newId(),
          source: { origin: 'import', ...(m.leadSource && { leadSource: m.leadSource }) },
          createdAt: now,
          updatedAt: now,
          remoteIds: {},
        });
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      issues.push({ line: lines[0]!, field: String(first?.path[0] ?? ''), message: first?.message ?? 'invalid contact' });
      continue;
    }
    items.push({ lines, action: existing ? 'update' : 'create', contact: parsed.data, companyDomain, companyName: m.companyName, baseUpdatedAt: existing?.updatedAt });
  }
  const creates = items.filter((i) => i.action === 'create').length;
  return { plan: { items, creates, updates: items.length - creates, merged }, issues };
}

export interface ImportResult {
  created: number;
  updated: number;
  companiesCreated: number;
}

/**
 * Writes a plan in ONE transaction, in chunks so the progress callback can report between them.
 * Any failure (a constraint, a quota) rolls every row back.
 */
export async function applyContactImport(plan: ContactImportPlan, opts: WriteOptions & { onProgress?: ProgressFn; chunkSize?: number } = {}): Promise<ImportResult> {
  const now = nowOf(opts);
  const chunk = opts.chunkSize ?? 250;
  const total = plan.items.length;
  return db.transaction('rw', [db.contacts, db.companies, db.activities, db.timeline, db.outbox], async () => {
    const domains = [...new Set(plan.items.map((i) => i.companyDomain).filter((d): d is string => Boolean(d)))];
    const companyByDomain = new Map<string, string>();
    const companyRows = await db.companies.where('domain').anyOf(domains).toArray();
    for (const c of companyRows) companyByDomain.set(c.domain, c.id);
    let companiesCreated = 0;
    const newCompanies: Company[] = [];
    for (const item of plan.items) {
      const d = item.companyDomain;
      if (!d || companyByDomain.has(d)) continue;
      const company = Company.parse({ id: newId(), domain: d, name: item.companyName, createdAt: now, updatedAt: now, remoteIds: {} });
      companyByDomain.set(d, company.id);
      newCompanies.push(company);
    }
    if (newCompanies.length) {
      await db.companies.bulkAdd(newCompanies.map((c) => ({ ...c, terms: termsFor(c.name, c.domain) })));
      await bulkEnqueue('company', newCompanies.map((c) => c.id), opts);
      companiesCreated = newCompanies.length;
    }

    let done = 0;
    opts.onProgress?.(0, total);
    for (let i = 0; i < total; i += chunk) {
      const slice = plan.items.slice(i, i + chunk);
      // The preview was built outside this transaction: refuse to overwrite a contact edited since.
      const updates = slice.filter((it) => it.action === 'update');
      const current = await db.contacts.bulkGet(updates.map((it) => it.contact.id));
      updates.forEach((it, n) => {
        if (current[n]?.updatedAt !== it.baseUpdatedAt) {
          throw new AppError('conflict', `${it.contact.emails[0]} changed after the preview (line ${it.lines[0]}). Nothing was imported; choose the file again to re-check it.`);
        }
      });
      // Email facts move with logging, not with edits (updatedAt): take them as stored now.
      const stored = new Map(current.flatMap((c) => (c ? [[c.id, c] as const] : [])));
      const rows = slice.map((item) => {
        const companyId = item.companyDomain ? companyByDomain.get(item.companyDomain) : undefined;
        const { lastOutbound: _o, lastReply: _r, ...c } = companyId ? { ...item.contact, companyId } : item.contact;
        const cur = stored.get(c.id);
        return { ...c, ...(cur?.lastOutbound && { lastOutbound: cur.lastOutbound }), ...(cur?.lastReply && { lastReply: cur.lastReply }), terms: contactTerms(c) };
      });
      await db.contacts.bulkPut(rows);
      // A new address can make an inbound email already on their timeline their reply.
      const readdressed = rows.filter((r) => stored.has(r.id) && r.emails.length !== stored.get(r.id)!.emails.length);
      if (readdressed.length) await refreshContactFacts(db, readdressed.map((r) => r.id));
      await bulkEnqueue('contact', rows.map((r) => r.id), opts);
      done += slice.length;
      opts.onProgress?.(done, total);
    }
    const created = plan.items.filter((i) => i.action === 'create').length;
    return { created, updated: total - created, companiesCreated };
  });
}

/** Parse, validate, plan: everything short of writing. Throws ImportRejected listing every issue. */
export async function prepareContactImport(csv: ParsedCsv, mapping: ColumnMapping<ContactField>, settings?: Settings, o?: WriteOptions): Promise<ContactImportPlan> {
  const { drafts, issues } = validateContactRows(csv, mapping, settings);
  if (issues.length) throw new ImportRejected(issues);
  const planned = await planContactImport(drafts, o);
  if (planned.issues.length) throw new ImportRejected(planned.issues);
  return planned.plan;
}

/** The whole import for callers without a UI step in between (tests, e2e). */
export async function importContactsCsv(text: string, mapping: ColumnMapping<ContactField>, opts: WriteOptions & { settings?: Settings; onProgress?: ProgressFn } = {}): Promise<ImportResult> {
  const plan = await prepareContactImport(parseCsv(text), mapping, opts.settings, opts);
  return applyContactImport(plan, opts);
}

function label(k: ContactField): string {
  return CONTACT_FIELDS.find((f) => f.key === k)?.label ?? k;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
