import type { z } from 'zod';
import { providerHttp, TransientError, type HttpClient, type HttpResponse } from '../../http';
import type { Clock, Connection, CrmProvider, ProviderFactory, ProviderOptions, PullPage, PushItem, PushResult, RemotePipeline, RemoteRecord, SyncKind } from '../../types';
import { list, one, PdActivity, PdDeal, PdEnvelope, PdMe, PdNotes, PdOrg, PdPerson, PdPipelines, PdRecents, PdSearch, PdStages } from './schemas';

export const PIPEDRIVE_BASE = 'https://api.pipedrive.com';
/**
 * Per-token 2-second windows from Pipedrive's (older) rate-limit page: api_token on the
 * cheapest plan 20 per 2 s, search 10 per 2 s. Newer accounts use a daily token budget; the
 * 2 s figures keep bursts under both.
 */
export const PIPEDRIVE_LIMITS = { general: { tokens: 20, windowMs: 2_000 }, search: { tokens: 10, windowMs: 2_000 } };

/** Pipedrive has no free-text field on every object; activities and notes carry this reference. */
export const refOf = (localId: string) => `Threadline ref ${localId}`;

function messageOf(res: HttpResponse): string {
  const e = PdEnvelope.safeParse(res.body);
  if (e.success && e.data.error) return e.data.error_info ? `${e.data.error} (${e.data.error_info})` : e.data.error;
  return `Pipedrive answered ${res.status}.`;
}

export function pipedriveRateLimitWait(res: HttpResponse, attempt: number): number {
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? reset * 1000 : 2_000 * attempt;
}

function parse<T extends z.ZodType>(schema: T, res: HttpResponse, what: string): z.output<T> {
  const r = schema.safeParse(res.body);
  if (!r.success) throw new TransientError(`Pipedrive sent an unexpected ${what} answer: ${r.error.issues[0]?.message ?? 'bad shape'}`, true);
  return r.data;
}

const day = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 10));
const PATH: Record<SyncKind, string> = { contact: '/api/v2/persons', company: '/api/v2/organizations', deal: '/api/v2/deals', activity: '/api/v2/activities', task: '/api/v2/activities' };
const num = (s?: string) => (s === undefined ? undefined : Number(s));
/** Pipedrive keeps a deleted item for 30 days, then erases it; older deletions cannot be seen. */
export const DELETED_KEPT_MS = 30 * 24 * 3600_000;
/** Pipedrive's "YYYY-MM-DD HH:MM:SS" (UTC), the format `/recents` takes. */
const pdTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const RECENT_ITEM: Partial<Record<SyncKind, string>> = { contact: 'person', company: 'organization' };

export class PipedriveProvider implements CrmProvider {
  readonly id = 'pipedrive' as const;
  readonly pullKinds = ['company', 'contact', 'deal'] as const satisfies readonly SyncKind[];
  private readonly http: HttpClient;
  private readonly clock: Clock;

  constructor(conn: Connection, opts: ProviderOptions) {
    this.clock = opts.clock;
    this.http = providerHttp(opts, {
      baseUrl: conn.baseUrl || PIPEDRIVE_BASE,
      headers: conn.kind === 'oauth' ? { authorization: `Bearer ${conn.secret}` } : { 'x-api-token': conn.secret },
      limits: PIPEDRIVE_LIMITS,
      rateLimitWaitMs: pipedriveRateLimitWait,
      messageOf,
    });
  }

  /** No batch endpoints: the engine's chunk is just how many are marked in flight together. */
  batchMax(): number {
    return 10;
  }

  async testConnection(signal?: AbortSignal): Promise<{ accountName: string }> {
    const res = await this.http.request({ method: 'GET', path: '/v1/users/me' }, signal);
    if (res.status >= 400) throw new Error(messageOf(res));
    const me = parse(PdMe, res, 'user').data;
    return { accountName: [me.company_name, me.name].filter(Boolean).join(' — ') || 'Pipedrive' };
  }

  async push(items: PushItem[], signal?: AbortSignal): Promise<PushResult[]> {
    const out: PushResult[] = [];
    for (const i of items) {
      try {
        out.push(i.op === 'delete' ? await this.remove(i, signal) : await this.upsert(i, signal));
      } catch (e) {
        if (!(e instanceof TransientError)) throw e;
        out.push({ localId: i.localId, status: 'retry', error: { httpStatus: 0, message: e.message } });
      }
    }
    return out;
  }

  private isNote(i: PushItem): boolean {
    return i.record.kind === 'activity' && i.record.value.kind === 'note';
  }

  private body(i: PushItem): Record<string, unknown> {
    const r = i.record;
    const person = num(i.links.contactIds[0]);
    const deal = num(i.links.dealId);
    switch (r.kind) {
      case 'contact': {
        const c = r.value;
        return { name: c.name || c.emails[0], emails: c.emails.map((value, k) => ({ value, primary: k === 0, label: 'work' })), ...(c.phone ? { phones: [{ value: c.phone, primary: true, label: 'work' }] } : {}), ...(i.links.companyId ? { org_id: num(i.links.companyId) } : {}) };
      }
      case 'company':
        return { name: r.value.name || r.value.domain };
      case 'deal': {
        const d = r.value;
        return {
          title: d.name,
          ...(d.amount ? { value: d.amount.value, currency: d.amount.currency } : {}),
          ...(person ? { person_id: person } : {}),
          ...(i.links.companyId ? { org_id: num(i.links.companyId) } : {}),
          ...(i.stage?.stageId ? { stage_id: num(i.stage.stageId), pipeline_id: num(i.stage.pipelineId) } : {}),
          status: d.status,
          ...(d.expectedCloseAt ? { expected_close_date: day(d.expectedCloseAt) } : {}),
        };
      }
      case 'task': {
        const t = r.value;
        return { subject: t.title, type: 'task', due_date: day(t.dueAt), done: t.status === 'done', note: refOf(t.id), ...(person ? { participants: [{ person_id: person, primary: true }] } : {}), ...(deal ? { deal_id: deal } : {}) };
      }
      case 'activity': {
        const a = r.value;
        const text = [a.subject, a.body ?? a.snippet].filter(Boolean).join('\n\n');
        if (a.kind === 'note' || a.kind === 'stage_change' || a.kind === 'task_done') {
          return { content: `${escapeHtml(text || a.kind)}<br><small>${refOf(a.id)}</small>`, ...(person ? { person_id: person } : {}), ...(deal ? { deal_id: deal } : {}) };
        }
        return {
          subject: a.subject || a.kind,
          type: a.kind === 'meeting' ? 'meeting' : a.kind === 'call' ? 'call' : 'email',
          due_date: day(a.occurredAt),
          due_time: new Date(a.occurredAt).toISOString().slice(11, 16),
          done: true,
          note: `${text}\n\n${refOf(a.id)}`,
          ...(person ? { participants: [{ person_id: person, primary: true }] } : {}),
          ...(deal ? { deal_id: deal } : {}),
        };
      }
    }
  }

  private notes(i: PushItem): boolean {
    return this.isNote(i) || (i.record.kind === 'activity' && (i.record.value.kind === 'stage_change' || i.record.value.kind === 'task_done'));
  }

  private async upsert(i: PushItem, signal?: AbortSignal): Promise<PushResult> {
    const isNote = this.notes(i);
    let remoteId = i.remoteId ?? (await this.findExisting(i, signal));
    const body = this.body(i);
    if (remoteId) {
      const res = await this.http.request({ method: isNote ? 'PUT' : 'PATCH', path: isNote ? `/v1/notes/${remoteId}` : `${PATH[i.record.kind]}/${remoteId}`, body }, signal);
      if (res.status === 404) remoteId = undefined;
      else if (res.status >= 400) return { localId: i.localId, status: 'invalid', remoteId, error: { httpStatus: res.status, message: messageOf(res) } };
      else return { localId: i.localId, status: 'ok', remoteId };
    }
    // No upsert in Pipedrive: a create is never resent blindly after an unclear failure.
    const res = await this.http.request({ method: 'POST', path: isNote ? '/v1/notes' : PATH[i.record.kind], body, idempotent: false }, signal);
    if (res.status >= 400) return { localId: i.localId, status: 'invalid', error: { httpStatus: res.status, message: messageOf(res) } };
    const made = parse(one(PdOrg.pick({ id: true })), res, 'create');
    return { localId: i.localId, status: 'ok', remoteId: String(made.data.id) };
  }

  /** Search before create: persons by exact email, organizations by exact name, others by their reference after an interrupted attempt. */
  private async findExisting(i: PushItem, signal?: AbortSignal): Promise<string | undefined> {
    const r = i.record;
    if (r.kind === 'contact') {
      for (const email of r.value.emails) {
        const res = await this.http.request({ method: 'GET', path: '/api/v2/persons/search', query: { term: email, fields: 'email', exact_match: true, limit: 10 }, buckets: ['search'] }, signal);
        if (res.status >= 400) throw new TransientError(`Pipedrive search: ${messageOf(res)}`, false);
        const hit = parse(PdSearch, res, 'search').data?.items.find((x) => x.item.emails?.some((e) => e.toLowerCase() === email));
        if (hit) return String(hit.item.id);
      }
      return undefined;
    }
    if (r.kind === 'company') {
      const term = r.value.name || r.value.domain;
      const res = await this.http.request({ method: 'GET', path: '/api/v2/organizations/search', query: { term, fields: 'name', exact_match: true, limit: 10 }, buckets: ['search'] }, signal);
      if (res.status >= 400) throw new TransientError(`Pipedrive search: ${messageOf(res)}`, false);
      return parse(PdSearch, res, 'search').data?.items.map((x) => String(x.item.id))[0];
    }
    if (!i.resumed) return undefined;
    const ref = refOf(i.localId);
    if (this.notes(i)) {
      const person = i.links.contactIds[0];
      const res = await this.http.request({ method: 'GET', path: '/v1/notes', query: { person_id: person, deal_id: person ? undefined : i.links.dealId, start: 0, limit: 100, sort: 'add_time DESC' } }, signal);
      if (res.status >= 400) throw new TransientError(`Pipedrive notes: ${messageOf(res)}`, false);
      return parse(PdNotes, res, 'notes').data.find((n) => n.content?.includes(ref))?.id.toString();
    }
    if (r.kind === 'activity' || r.kind === 'task') {
      const res = await this.http.request({ method: 'GET', path: '/api/v2/activities', query: { sort_by: 'add_time', sort_direction: 'desc', limit: 200, person_id: i.links.contactIds[0] } }, signal);
      if (res.status >= 400) throw new TransientError(`Pipedrive activities: ${messageOf(res)}`, false);
      return parse(list(PdActivity), res, 'activities').data.find((a) => a.note?.includes(ref))?.id.toString();
    }
    // Deals: same title and person, created since the first attempt.
    const res = await this.http.request({ method: 'GET', path: '/api/v2/deals', query: { sort_by: 'add_time', sort_direction: 'desc', limit: 200, person_id: i.links.contactIds[0] } }, signal);
    if (res.status >= 400) throw new TransientError(`Pipedrive deals: ${messageOf(res)}`, false);
    const title = r.kind === 'deal' ? r.value.name : '';
    // The newest deals of that person, newest first: an interrupted create is among them.
    return parse(list(PdDeal), res, 'deals').data.find((d) => d.title === title)?.id.toString();
  }

  private async remove(i: PushItem, signal?: AbortSignal): Promise<PushResult> {
    const id = i.remoteId ?? (await this.findExisting(i, signal));
    if (!id) return { localId: i.localId, status: 'ok' };
    const res = await this.http.request({ method: 'DELETE', path: this.notes(i) ? `/v1/notes/${id}` : `${PATH[i.record.kind]}/${id}` }, signal);
    if (res.status < 300 || res.status === 404 || res.status === 410) return { localId: i.localId, status: 'ok' };
    return { localId: i.localId, status: 'invalid', error: { httpStatus: res.status, message: messageOf(res) } };
  }

  /**
   * Page token: `l:<cursor>` walks the v2 list (live records; deals with `status=…,deleted`),
   * then `r:<start>` walks `/v1/recents` for persons and organizations deleted since the
   * watermark, which the v2 lists omit. A bare token is a list cursor from before the prefix.
   */
  async pull(kind: SyncKind, since: number, page: string | null, signal?: AbortSignal): Promise<PullPage> {
    const [phase, token] = page?.startsWith('r:') ? ['r', page.slice(2)] : ['l', page?.startsWith('l:') ? page.slice(2) : page];
    if (phase === 'r') return this.pullDeleted(kind, since, Number(token) || 0, signal);
    const listed = await this.pullList(kind, since, token || null, signal);
    if (listed.next) return { records: listed.records, next: `l:${listed.next}` };
    return { records: listed.records, next: RECENT_ITEM[kind] ? 'r:0' : null };
  }

  private async pullDeleted(kind: SyncKind, since: number, start: number, signal?: AbortSignal): Promise<PullPage> {
    const item = RECENT_ITEM[kind]!;
    // First pull or not: only deletions Pipedrive still keeps (30 days) can be seen. One second
    // back, because `/recents` answers changes strictly after the given (whole-second) time.
    const from = Math.max(since, this.clock.now() - DELETED_KEPT_MS) - 1000;
    const res = await this.http.request({ method: 'GET', path: '/v1/recents', query: { since_timestamp: pdTime(from), items: item, start, limit: 500 } }, signal);
    if (res.status >= 400) throw new TransientError(`Pipedrive recents: ${messageOf(res)}`, false);
    const body = parse(PdRecents, res, 'recents');
    const t = (s?: string | null) => (s ? Date.parse(`${s.replace(' ', 'T')}Z`) || 0 : 0);
    const records: RemoteRecord[] = body.data
      .filter((r) => r.item === item && r.data?.active_flag === false)
      .map((r) => ({ kind, remoteId: String(r.id), updatedAt: t(r.data?.update_time), deleted: true, fields: {} }));
    const more = body.additional_data?.pagination?.more_items_in_collection && body.data.length > 0;
    return { records, next: more ? `r:${start + body.data.length}` : null };
  }

  private async pullList(kind: SyncKind, since: number, page: string | null, signal?: AbortSignal): Promise<PullPage> {
    const path = kind === 'contact' ? '/api/v2/persons' : kind === 'company' ? '/api/v2/organizations' : kind === 'deal' ? '/api/v2/deals' : undefined;
    if (!path) return { records: [], next: null };
    const res = await this.http.request(
      {
        method: 'GET',
        path,
        query: {
          ...(since > 0 ? { updated_since: new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
          sort_by: 'update_time',
          sort_direction: 'asc',
          limit: 500,
          cursor: page ?? undefined,
          ...(kind === 'deal' ? { status: 'open,won,lost,deleted' } : {}),
        },
      },
      signal,
    );
    if (res.status >= 400) throw new TransientError(`Pipedrive list: ${messageOf(res)}`, false);
    const t = (s?: string | null) => (s ? Date.parse(/Z|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`) : 0);
    const def = (x: Record<string, unknown>) => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined && v !== null && v !== ''));
    let records: RemoteRecord[];
    let next: string | null | undefined;
    if (kind === 'contact') {
      const b = parse(list(PdPerson), res, 'persons');
      next = b.additional_data?.next_cursor;
      records = b.data.map((p) => ({
        kind,
        remoteId: String(p.id),
        updatedAt: t(p.update_time),
        deleted: p.is_deleted,
        fields: def({ name: p.name, emails: p.emails?.length ? p.emails.map((e) => e.value.toLowerCase()) : undefined, phone: p.phones?.find((x) => x.primary)?.value }),
        links: p.org_id ? { companyId: String(p.org_id) } : undefined,
      }));
    } else if (kind === 'company') {
      const b = parse(list(PdOrg), res, 'organizations');
      next = b.additional_data?.next_cursor;
      records = b.data.map((o) => ({ kind, remoteId: String(o.id), updatedAt: t(o.update_time), deleted: o.is_deleted, fields: def({ name: o.name }) }));
    } else {
      const b = parse(list(PdDeal), res, 'deals');
      next = b.additional_data?.next_cursor;
      records = b.data.map((d) => ({
        kind,
        remoteId: String(d.id),
        updatedAt: t(d.update_time),
        deleted: d.is_deleted || d.status === 'deleted',
        fields: def({
          name: d.title,
          amount: d.value !== null && d.value !== undefined ? { value: d.value, currency: d.currency || 'USD' } : undefined,
          expectedCloseAt: d.expected_close_date ? Date.parse(d.expected_close_date) : undefined,
          status: d.status === 'won' || d.status === 'lost' || d.status === 'open' ? d.status : undefined,
        }),
        links: { contactIds: d.person_id ? [String(d.person_id)] : undefined, companyId: d.org_id ? String(d.org_id) : undefined },
        stage: d.stage_id && d.pipeline_id ? { pipelineId: String(d.pipeline_id), stageId: String(d.stage_id) } : undefined,
      }));
    }
    return { records, next: next ?? null };
  }

  async listPipelines(signal?: AbortSignal): Promise<RemotePipeline[]> {
    const pr = await this.http.request({ method: 'GET', path: '/api/v2/pipelines' }, signal);
    if (pr.status >= 400) throw new TransientError(`Pipedrive pipelines: ${messageOf(pr)}`, false);
    const out: RemotePipeline[] = [];
    for (const p of parse(PdPipelines, pr, 'pipelines').data) {
      const sr = await this.http.request({ method: 'GET', path: '/api/v2/stages', query: { pipeline_id: p.id } }, signal);
      if (sr.status >= 400) throw new TransientError(`Pipedrive stages: ${messageOf(sr)}`, false);
      // Won and lost are deal statuses in Pipedrive, not stages: every stage is open.
      out.push({ id: String(p.id), label: p.name, stages: parse(PdStages, sr, 'stages').data.map((s) => ({ id: String(s.id), label: s.name, order: s.order_nr, outcome: 'open', probability: s.deal_probability != null ? s.deal_probability / 100 : undefined })) });
    }
    return out;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export const pipedrive: ProviderFactory = {
  id: 'pipedrive',
  label: 'Pipedrive',
  defaultBaseUrl: PIPEDRIVE_BASE,
  needsBaseUrl: false,
  hostPermissions: (baseUrl) => [`${new URL(baseUrl || PIPEDRIVE_BASE).origin}/*`],
  create: (conn, opts) => new PipedriveProvider(conn, opts),
};
