import Papa from 'papaparse';
import { db } from '@/lib/db';
import type { Company, Contact, Deal, Pipeline } from '@/lib/model';

const isoDate = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString().slice(0, 10));
const isoTime = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());

/**
 * Spreadsheet apps run cells starting with = + - @ as formulas; a contact name from an email
 * header must never become one, so such cells are quoted with a leading apostrophe.
 */
const unparse = (fields: string[], data: string[][]) => Papa.unparse({ fields, data }, { escapeFormulae: true, newline: '\r\n' });

/** Headers match the import's field names, so an export re-imports without remapping. */
export const CONTACT_CSV_HEADERS = ['Email', 'Name', 'Company', 'Company domain', 'Job title', 'Phone', 'Lifecycle stage', 'Status', 'Lead source', 'Created', 'Last touched'];

export function contactsToCsv(contacts: Contact[], companies: Map<string, Company>): string {
  const rows = contacts
    .filter((c) => !c.deletedAt)
    .map((c) => {
      const co = c.companyId ? companies.get(c.companyId) : undefined;
      return [
        c.emails.join('; '),
        c.name ?? '',
        co?.name ?? '',
        co?.domain ?? '',
        c.title ?? '',
        c.phone ?? '',
        c.lifecycleStage ?? '',
        c.status,
        c.source.leadSource ?? '',
        isoTime(c.createdAt),
        isoTime(c.lastTouchedAt),
      ];
    });
  return unparse(CONTACT_CSV_HEADERS, rows);
}

export const DEAL_CSV_HEADERS = ['Deal name', 'Pipeline', 'Stage', 'Status', 'Amount', 'Currency', 'Expected close', 'Contact emails', 'Company', 'Lead source', 'Next step', 'Next step due', 'Created', 'Closed', 'Closed reason'];

export function dealsToCsv(deals: Deal[], ctx: { pipelines: Pipeline[]; contacts: Map<string, Contact>; companies: Map<string, Company> }): string {
  const pipelines = new Map(ctx.pipelines.map((p) => [p.id, p]));
  const rows = deals
    .filter((d) => !d.deletedAt)
    .map((d) => {
      const p = pipelines.get(d.pipelineId);
      return [
        d.name,
        p?.name ?? d.pipelineId,
        p?.stages.find((s) => s.id === d.stageId)?.name ?? d.stageId,
        d.status,
        d.amount ? String(d.amount.value) : '',
        d.amount?.currency ?? '',
        isoDate(d.expectedCloseAt),
        d.contactIds.map((id) => ctx.contacts.get(id)?.emails[0]).filter(Boolean).join('; '),
        d.companyId ? (ctx.companies.get(d.companyId)?.name ?? ctx.companies.get(d.companyId)?.domain ?? '') : '',
        d.leadSource ?? '',
        d.nextStep?.text ?? '',
        isoDate(d.nextStep?.dueAt),
        isoTime(d.createdAt),
        isoTime(d.closedAt),
        d.closedReason ?? '',
      ];
    });
  return unparse(DEAL_CSV_HEADERS, rows);
}

export async function exportContactsCsv(): Promise<string> {
  const [contacts, companies] = await Promise.all([db.contacts.toArray(), db.companies.toArray()]);
  return contactsToCsv(contacts, new Map(companies.map((c) => [c.id, c])));
}

export async function exportDealsCsv(): Promise<string> {
  const [deals, pipelines, contacts, companies] = await Promise.all([db.deals.toArray(), db.pipelines.toArray(), db.contacts.toArray(), db.companies.toArray()]);
  return dealsToCsv(deals, { pipelines, contacts: new Map(contacts.map((c) => [c.id, c])), companies: new Map(companies.map((c) => [c.id, c])) });
}
