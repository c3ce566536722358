import type { Activity } from '@/lib/model';
import type { PushItem, RemoteRecord, SyncKind } from '../../types';
import type { HsObject } from './schemas';

/** Our local id on every HubSpot object except contacts (those are keyed by email). */
export const ID_PROPERTY = 'threadline_id';

export type HsType = 'contacts' | 'companies' | 'deals' | 'tasks' | 'emails' | 'meetings' | 'notes';

export function typeOf(item: PushItem): HsType {
  const r = item.record;
  switch (r.kind) {
    case 'contact':
      return 'contacts';
    case 'company':
      return 'companies';
    case 'deal':
      return 'deals';
    case 'task':
      return 'tasks';
    case 'activity':
      return activityType(r.value);
  }
}

export function activityType(a: Activity): HsType {
  // Calls, stage changes and finished tasks have no engagement of their own here: they are notes.
  return a.kind === 'email' ? 'emails' : a.kind === 'meeting' ? 'meetings' : 'notes';
}

export const KIND_TYPE: Partial<Record<SyncKind, HsType>> = { contact: 'contacts', company: 'companies', deal: 'deals', task: 'tasks' };

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function splitName(name?: string): { firstname?: string; lastname?: string } {
  if (!name) return {};
  const parts = name.trim().split(/\s+/);
  if (parts.length === 1) return { firstname: parts[0] };
  return { firstname: parts.slice(0, -1).join(' '), lastname: parts[parts.length - 1] };
}

function clean(o: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

export function propertiesOf(item: PushItem): Record<string, string> {
  const r = item.record;
  switch (r.kind) {
    case 'contact': {
      const c = r.value;
      return clean({ email: c.emails[0], ...splitName(c.name), jobtitle: c.title, phone: c.phone });
    }
    case 'company':
      return clean({ domain: r.value.domain, name: r.value.name, [ID_PROPERTY]: r.value.id });
    case 'deal': {
      const d = r.value;
      return clean({
        dealname: d.name,
        amount: d.amount ? String(d.amount.value) : undefined,
        deal_currency_code: d.amount?.currency,
        closedate: iso(d.expectedCloseAt),
        pipeline: item.stage?.pipelineId,
        dealstage: item.stage?.stageId,
        [ID_PROPERTY]: d.id,
      });
    }
    case 'task': {
      const t = r.value;
      return clean({
        hs_timestamp: iso(t.dueAt),
        hs_task_subject: t.title,
        hs_task_status: t.status === 'done' ? 'COMPLETED' : 'NOT_STARTED',
        hs_task_type: 'TODO',
        [ID_PROPERTY]: t.id,
      });
    }
    case 'activity': {
      const a = r.value;
      const text = a.body ?? a.snippet;
      const base = { hs_timestamp: iso(a.occurredAt), [ID_PROPERTY]: a.id };
      if (a.kind === 'email') {
        return clean({
          ...base,
          hs_email_subject: a.subject,
          hs_email_text: text,
          hs_email_direction: a.direction === 'inbound' ? 'INCOMING_EMAIL' : 'EMAIL',
        });
      }
      if (a.kind === 'meeting') {
        return clean({ ...base, hs_meeting_title: a.subject, hs_meeting_body: text, hs_meeting_start_time: iso(a.occurredAt), hs_meeting_end_time: iso(a.endAt ?? a.occurredAt) });
      }
      const label = { note: 'Note', call: 'Call', stage_change: 'Stage change', task_done: 'Task done', email: 'Email', meeting: 'Meeting' }[a.kind];
      // A note's subject is its own first line: heading the body with it would say it twice.
      const ownLine = Boolean(a.subject && text?.startsWith(a.subject));
      const heading = a.subject && !ownLine ? `${label}: ${a.subject}` : a.kind === 'note' ? undefined : label;
      return clean({ ...base, hs_note_body: [heading, text].filter(Boolean).join('\n\n') || label });
    }
  }
}

/** Targets of the default associations this item needs, by HubSpot type. */
export function associationsOf(item: PushItem): { to: HsType; id: string }[] {
  const l = item.links;
  const out: { to: HsType; id: string }[] = [];
  const kind = item.record.kind;
  if (kind === 'company') return out;
  if (kind !== 'contact') for (const c of l.contactIds) out.push({ to: 'contacts', id: c });
  if (l.companyId && (kind === 'contact' || kind === 'deal')) out.push({ to: 'companies', id: l.companyId });
  if (l.dealId && (kind === 'activity' || kind === 'task')) out.push({ to: 'deals', id: l.dealId });
  return out;
}

export const MODIFIED: Record<string, string> = { contacts: 'lastmodifieddate' };
export const modifiedProp = (t: HsType) => MODIFIED[t] ?? 'hs_lastmodifieddate';

export const PULL_PROPS: Partial<Record<HsType, string[]>> = {
  contacts: ['email', 'firstname', 'lastname', 'jobtitle', 'phone', 'lastmodifieddate'],
  companies: ['domain', 'name', 'hs_lastmodifieddate'],
  deals: ['dealname', 'amount', 'deal_currency_code', 'closedate', 'pipeline', 'dealstage', 'hs_lastmodifieddate'],
  tasks: ['hs_task_subject', 'hs_timestamp', 'hs_task_status', 'hs_lastmodifieddate'],
};

const ms = (s: string | null | undefined) => {
  if (!s) return undefined;
  const n = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  return Number.isNaN(n) ? undefined : n;
};

export function toRemoteRecord(kind: SyncKind, o: HsObject): RemoteRecord {
  const p = o.properties;
  const updatedAt = ms(o.archivedAt) ?? ms(o.updatedAt) ?? ms(p[modifiedProp(KIND_TYPE[kind]!)]) ?? 0;
  const base = { kind, remoteId: o.id, updatedAt, deleted: o.archived ?? false };
  const def = <T extends Record<string, unknown>>(x: T) => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  switch (kind) {
    case 'contact': {
      const name = [p.firstname, p.lastname].filter(Boolean).join(' ') || undefined;
      return { ...base, fields: def({ emails: p.email ? [p.email.toLowerCase()] : undefined, name, title: p.jobtitle, phone: p.phone }) };
    }
    case 'company':
      return { ...base, fields: def({ domain: p.domain?.toLowerCase(), name: p.name }) };
    case 'deal': {
      const amount = p.amount && !Number.isNaN(Number(p.amount)) ? { value: Number(p.amount), currency: p.deal_currency_code || 'USD' } : undefined;
      return {
        ...base,
        fields: def({ name: p.dealname, amount, expectedCloseAt: ms(p.closedate) }),
        stage: p.pipeline && p.dealstage ? { pipelineId: p.pipeline, stageId: p.dealstage } : undefined,
      };
    }
    case 'task':
      return { ...base, fields: def({ title: p.hs_task_subject, dueAt: ms(p.hs_timestamp), status: p.hs_task_status === 'COMPLETED' ? 'done' : p.hs_task_status ? 'open' : undefined }) };
    default:
      return { ...base, fields: {} };
  }
}
