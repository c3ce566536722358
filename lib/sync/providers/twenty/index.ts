import { z } from 'zod';
import { providerHttp, TransientError, type HttpClient, type HttpResponse } from '../../http';
import type { Connection, CrmProvider, ProviderFactory, ProviderOptions, PullPage, PushItem, PushResult, RemotePipeline, RemoteRecord, SyncKind } from '../../types';

/** Self-hosted default from the server's config: 100 API-key requests per second per workspace. */
export const TWENTY_LIMITS = { general: { tokens: 100, windowMs: 1_000 } };
/** MUTATION_MAXIMUM_AFFECTED_RECORDS default. */
const BATCH_MAX = 100;

/** Twenty's default opportunity stages: used only when the workspace's own cannot be read. */
export const TWENTY_STAGES = ['NEW', 'SCREENING', 'MEETING', 'PROPOSAL', 'CUSTOMER'] as const;
/** The one local pipeline Twenty's opportunity `stage` select becomes. */
export const TWENTY_PIPELINE = 'opportunity-stage';

const TwError = z.object({ statusCode: z.number().optional(), message: z.union([z.string(), z.array(z.string())]).optional(), messages: z.array(z.string()).optional(), error: z.string().optional() });
const Row = z.object({ id: z.string(), updatedAt: z.string().nullable().optional(), deletedAt: z.string().nullable().optional() }).loose();
const ListBody = z.object({
  data: z.record(z.string(), z.array(Row)),
  pageInfo: z.object({ hasNextPage: z.boolean().optional(), endCursor: z.string().nullable().optional() }).optional(),
});
const MutationBody = z.object({ data: z.record(z.string(), z.union([z.array(Row), Row])) });

const SelectOption = z.object({ value: z.string().min(1), label: z.string().optional(), position: z.number().optional() }).loose();
const FieldMeta = z.object({ name: z.string(), type: z.string().optional(), options: z.array(SelectOption).nullable().optional() }).loose();
const ObjectMeta = z.object({ nameSingular: z.string(), fields: z.array(FieldMeta).optional() }).loose();
/** `GET /rest/metadata/objects`: GraphQL edges flattened to arrays; older servers inline each object's fields. */
const RestObjects = z.object({ data: z.object({ objects: z.array(ObjectMeta) }) });
/** The metadata GraphQL answer, for servers whose REST object list leaves fields out. */
const GqlObjects = z.object({
  data: z.object({
    objects: z.object({
      edges: z.array(z.object({ node: z.object({ nameSingular: z.string(), fields: z.object({ edges: z.array(z.object({ node: FieldMeta })) }) }) })),
    }),
  }),
});
const STAGE_QUERY = 'query ThreadlineStages { objects(paging: { first: 1000 }) { edges { node { nameSingular fields(paging: { first: 1000 }) { edges { node { name type options } } } } } } }';

/** Twenty has no won/lost flag: its default last stage, CUSTOMER, is a win; WON/LOST names say so too. */
function outcomeOf(value: string): 'open' | 'won' | 'lost' {
  if (/^(CUSTOMER|(CLOSED_)?WON)$/i.test(value)) return 'won';
  if (/^(CLOSED_)?LOST$/i.test(value)) return 'lost';
  return 'open';
}

function messageOf(res: HttpResponse): string {
  const e = TwError.safeParse(res.body);
  if (!e.success) return `Twenty answered ${res.status}.`;
  const m = e.data.messages ?? e.data.message;
  return (Array.isArray(m) ? m.join('; ') : m) || e.data.error || `Twenty answered ${res.status}.`;
}

const PLURAL: Record<SyncKind, string> = { contact: 'people', company: 'companies', deal: 'opportunities', activity: 'notes', task: 'tasks' };

/** A UUID derived from its parts, so a target row gets the same id on every retry. */
export async function derivedId(...parts: string[]): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(parts.join('|')))).slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function splitName(name?: string) {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  return { firstName: parts.length > 1 ? parts.slice(0, -1).join(' ') : (parts[0] ?? ''), lastName: parts.length > 1 ? parts[parts.length - 1]! : '' };
}

export class TwentyProvider implements CrmProvider {
  readonly id = 'twenty' as const;
  readonly pullKinds = ['company', 'contact', 'deal', 'task'] as const satisfies readonly SyncKind[];
  /** Client-chosen ids make parallel batches safe. */
  readonly concurrency = 2;
  private readonly http: HttpClient;

  constructor(private readonly conn: Connection, opts: ProviderOptions) {
    if (!conn.baseUrl) throw new Error('Twenty needs the address of your workspace (e.g. https://crm.example.com).');
    this.http = providerHttp(opts, {
      baseUrl: conn.baseUrl.replace(/\/+$/, '').replace(/\/rest$/, ''),
      headers: { authorization: `Bearer ${conn.secret}` },
      limits: TWENTY_LIMITS,
      rateLimitWaitMs: (_res, attempt) => 1_000 * attempt,
      messageOf,
    });
  }

  batchMax(): number {
    return BATCH_MAX;
  }

  async testConnection(signal?: AbortSignal): Promise<{ accountName: string }> {
    const res = await this.http.request({ method: 'GET', path: '/rest/workspaceMembers', query: { limit: 1 } }, signal);
    if (res.status >= 400) throw new Error(messageOf(res));
    const body = ListBody.safeParse(res.body);
    const m = body.success ? (body.data.data.workspaceMembers?.[0] as { name?: { firstName?: string; lastName?: string }; userEmail?: string } | undefined) : undefined;
    const who = m ? [m.name?.firstName, m.name?.lastName].filter(Boolean).join(' ') || m.userEmail : undefined;
    return { accountName: `Twenty at ${new URL(this.conn.baseUrl!).host}${who ? ` (${who})` : ''}` };
  }

  private record(i: PushItem): Record<string, unknown> {
    const r = i.record;
    switch (r.kind) {
      case 'contact': {
        const c = r.value;
        return { id: c.id, name: splitName(c.name), emails: { primaryEmail: c.emails[0], additionalEmails: c.emails.slice(1) }, jobTitle: c.title ?? '', companyId: i.links.companyId ?? null };
      }
      case 'company':
        return { id: r.value.id, name: r.value.name || r.value.domain, domainName: { primaryLinkUrl: `https://${r.value.domain}` } };
      case 'deal': {
        const d = r.value;
        return {
          id: d.id,
          name: d.name,
          ...(d.amount ? { amount: { amountMicros: Math.round(d.amount.value * 1_000_000), currencyCode: d.amount.currency } } : {}),
          closeDate: d.expectedCloseAt ? new Date(d.expectedCloseAt).toISOString() : null,
          ...(i.stage?.stageId ? { stage: i.stage.stageId } : {}),
          pointOfContactId: i.links.contactIds[0] ?? null,
          companyId: i.links.companyId ?? null,
        };
      }
      case 'task': {
        const t = r.value;
        return { id: t.id, title: t.title, dueAt: new Date(t.dueAt).toISOString(), status: t.status === 'done' ? 'DONE' : 'TODO' };
      }
      case 'activity': {
        // Twenty's timeline rows are system-made; a logged email or meeting is a note.
        const a = r.value;
        const label = { email: 'Email', meeting: 'Meeting', note: 'Note', call: 'Call', stage_change: 'Stage change', task_done: 'Task done' }[a.kind];
        return { id: a.id, title: `${label}${a.subject ? `: ${a.subject}` : ''}`.slice(0, 250), bodyV2: { markdown: [a.body ?? a.snippet ?? '', `_${new Date(a.occurredAt).toISOString()}_`].filter(Boolean).join('\n\n') } };
      }
    }
  }

  async push(items: PushItem[], signal?: AbortSignal): Promise<PushResult[]> {
    const kind = items[0]!.record.kind;
    const plural = PLURAL[kind];
    if (items[0]!.op === 'delete') {
      const out: PushResult[] = [];
      for (const i of items) {
        const res = await this.http.request({ method: 'DELETE', path: `/rest/${plural}/${i.remoteId ?? i.localId}` }, signal);
        out.push(res.status < 300 || res.status === 404 ? { localId: i.localId, status: 'ok' } : { localId: i.localId, status: 'invalid', error: { httpStatus: res.status, message: messageOf(res) } });
      }
      return out;
    }
    const results = new Map<string, PushResult>();
    await this.batch(plural, items, results, signal);
    if (kind === 'activity' || kind === 'task') await this.targets(kind, items, results, signal);
    return items.map((i) => results.get(i.localId) ?? { localId: i.localId, status: 'retry', error: { httpStatus: 0, message: 'Twenty gave no result for this record.' } });
  }

  /** Our UUID is the Twenty id, and `upsert=true` makes a resent batch a no-op. A 400 is bisected to the bad record. */
  private async batch(plural: string, items: PushItem[], results: Map<string, PushResult>, signal?: AbortSignal): Promise<void> {
    const res = await this.http.request({ method: 'POST', path: `/rest/batch/${plural}`, query: { upsert: true }, body: items.map((i) => this.record(i)) }, signal);
    if (res.status >= 400) {
      if (items.length === 1) return void results.set(items[0]!.localId, { localId: items[0]!.localId, status: 'invalid', error: { httpStatus: res.status, message: messageOf(res) } });
      const mid = Math.ceil(items.length / 2);
      await this.batch(plural, items.slice(0, mid), results, signal);
      await this.batch(plural, items.slice(mid), results, signal);
      return;
    }
    const body = MutationBody.safeParse(res.body);
    if (!body.success) throw new TransientError('Twenty sent an unexpected batch answer.', true);
    const rows = Object.values(body.data.data).flatMap((v) => (Array.isArray(v) ? v : [v]));
    for (const row of rows) if (items.some((i) => i.localId === row.id)) results.set(row.id, { localId: row.id, status: 'ok', remoteId: row.id });
  }

  private async targets(kind: 'activity' | 'task', items: PushItem[], results: Map<string, PushResult>, signal?: AbortSignal): Promise<void> {
    const plural = kind === 'activity' ? 'noteTargets' : 'taskTargets';
    const owner = kind === 'activity' ? 'noteId' : 'taskId';
    const rows: { row: Record<string, unknown>; localId: string }[] = [];
    for (const i of items) {
      if (results.get(i.localId)?.status !== 'ok') continue;
      for (const p of i.links.contactIds) rows.push({ localId: i.localId, row: { id: await derivedId(i.localId, 'person', p), [owner]: i.localId, personId: p } });
      if (i.links.dealId) rows.push({ localId: i.localId, row: { id: await derivedId(i.localId, 'opportunity', i.links.dealId), [owner]: i.localId, opportunityId: i.links.dealId } });
    }
    for (let k = 0; k < rows.length; k += BATCH_MAX) {
      const chunk = rows.slice(k, k + BATCH_MAX);
      let res: HttpResponse;
      try {
        res = await this.http.request({ method: 'POST', path: `/rest/batch/${plural}`, query: { upsert: true }, body: chunk.map((c) => c.row) }, signal);
      } catch (e) {
        if (!(e instanceof TransientError)) throw e;
        for (const c of chunk) results.set(c.localId, { localId: c.localId, status: 'retry', remoteId: c.localId, error: { httpStatus: 0, message: e.message } });
        continue;
      }
      if (res.status >= 400) for (const c of chunk) results.set(c.localId, { localId: c.localId, status: 'invalid', remoteId: c.localId, error: { httpStatus: res.status, message: `Saved, but not linked: ${messageOf(res)}` } });
    }
  }

  /**
   * Page token: `l:<cursor>` walks live records by `updatedAt`, then `d:<cursor>` walks the
   * soft-deleted ones: a filter on `deletedAt` is what makes Twenty include deleted rows
   * (`withDeleted`), so `deletedAt[gte]` since the watermark (any `deletedAt` on a first pull).
   * A bare token is a list cursor from before the prefix.
   */
  async pull(kind: SyncKind, since: number, page: string | null, signal?: AbortSignal): Promise<PullPage> {
    if (kind === 'activity') return { records: [], next: null };
    const deleted = page?.startsWith('d:') ?? false;
    const cursor = page ? page.replace(/^[ld]:/, '') || undefined : undefined;
    const iso = new Date(since).toISOString();
    const filter = deleted ? (since > 0 ? `deletedAt[gte]:"${iso}"` : 'deletedAt[is]:NOT_NULL') : since > 0 ? `updatedAt[gte]:"${iso}"` : undefined;
    const plural = PLURAL[kind];
    const res = await this.http.request(
      { method: 'GET', path: `/rest/${plural}`, query: { filter, order_by: deleted ? 'deletedAt[AscNullsFirst]' : 'updatedAt[AscNullsFirst]', limit: 200, starting_after: cursor } },
      signal,
    );
    if (res.status >= 400) throw new TransientError(`Twenty list: ${messageOf(res)}`, false);
    const body = ListBody.safeParse(res.body);
    if (!body.success) throw new TransientError('Twenty sent an unexpected list answer.', true);
    const rows = body.data.data[plural] ?? [];
    // A soft-deleted row only counts as deleted: the deletion list is the place for those.
    const records = rows.map((r) => this.toRemote(kind, r as Record<string, unknown> & { id: string })).filter((r) => r.deleted === deleted);
    const end = body.data.pageInfo?.hasNextPage && body.data.pageInfo.endCursor ? body.data.pageInfo.endCursor : null;
    if (end) return { records, next: `${deleted ? 'd' : 'l'}:${end}` };
    return { records, next: deleted ? null : 'd:' };
  }

  private toRemote(kind: SyncKind, r: Record<string, unknown> & { id: string }): RemoteRecord {
    const deletedAt = r.deletedAt ? Date.parse(String(r.deletedAt)) || 0 : 0;
    // A deletion is the record's latest change even where it left updatedAt alone.
    const updatedAt = Math.max(Date.parse(String(r.updatedAt ?? '')) || 0, deletedAt);
    const def = (x: Record<string, unknown>) => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined && v !== null && v !== ''));
    const base = { kind, remoteId: r.id, updatedAt, deleted: Boolean(r.deletedAt) };
    if (kind === 'contact') {
      const n = r.name as { firstName?: string; lastName?: string } | undefined;
      const e = r.emails as { primaryEmail?: string; additionalEmails?: string[] | null } | undefined;
      const emails = [e?.primaryEmail, ...(e?.additionalEmails ?? [])].filter((x): x is string => Boolean(x)).map((x) => x.toLowerCase());
      return { ...base, fields: def({ name: [n?.firstName, n?.lastName].filter(Boolean).join(' ') || undefined, emails: emails.length ? emails : undefined, title: r.jobTitle || undefined }), links: r.companyId ? { companyId: String(r.companyId) } : undefined };
    }
    if (kind === 'company') {
      const url = (r.domainName as { primaryLinkUrl?: string } | undefined)?.primaryLinkUrl;
      let domain: string | undefined;
      try {
        domain = url ? new URL(/^https?:/.test(url) ? url : `https://${url}`).hostname.replace(/^www\./, '') : undefined;
      } catch {
        domain = undefined;
      }
      return { ...base, fields: def({ name: r.name, domain }) };
    }
    if (kind === 'deal') {
      const a = r.amount as { amountMicros?: number | null; currencyCode?: string | null } | undefined;
      return {
        ...base,
        fields: def({ name: r.name, amount: a?.amountMicros != null ? { value: a.amountMicros / 1_000_000, currency: a.currencyCode || 'USD' } : undefined, expectedCloseAt: r.closeDate ? Date.parse(String(r.closeDate)) : undefined }),
        links: { contactIds: r.pointOfContactId ? [String(r.pointOfContactId)] : undefined, companyId: r.companyId ? String(r.companyId) : undefined },
        stage: r.stage ? { pipelineId: TWENTY_PIPELINE, stageId: String(r.stage) } : undefined,
      };
    }
    return { ...base, fields: def({ title: r.title, dueAt: r.dueAt ? Date.parse(String(r.dueAt)) : undefined, status: r.status === 'DONE' ? 'done' : r.status ? 'open' : undefined }) };
  }

  /**
   * The opportunity `stage` select of this workspace, custom stages included, from the metadata
   * API: `GET /rest/metadata/objects` (older servers inline each object's fields), else the
   * metadata GraphQL endpoint. Twenty's defaults only when neither answers with the field.
   */
  async listPipelines(signal?: AbortSignal): Promise<RemotePipeline[]> {
    const options = (await this.stageOptions(signal)) ?? TWENTY_STAGES.map((value, position) => ({ value, label: value[0] + value.slice(1).toLowerCase(), position }));
    const sorted = [...options].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    return [{ id: TWENTY_PIPELINE, label: 'Opportunities', stages: sorted.map((o, k) => ({ id: o.value, label: o.label || o.value, order: k, outcome: outcomeOf(o.value) })) }];
  }

  private async stageOptions(signal?: AbortSignal): Promise<z.output<typeof SelectOption>[] | undefined> {
    const stageOf = (fields?: z.output<typeof FieldMeta>[]) => fields?.find((f) => f.name === 'stage' && (!f.type || f.type === 'SELECT'))?.options ?? undefined;
    const rest = await this.http.request({ method: 'GET', path: '/rest/metadata/objects', query: { limit: 1000 } }, signal);
    const listed = rest.status < 300 ? RestObjects.safeParse(rest.body) : undefined;
    const fromRest = listed?.success ? stageOf(listed.data.data.objects.find((o) => o.nameSingular === 'opportunity')?.fields) : undefined;
    if (fromRest?.length) return fromRest;
    const gql = await this.http.request({ method: 'POST', path: '/metadata', body: { query: STAGE_QUERY } }, signal);
    const parsed = gql.status < 300 ? GqlObjects.safeParse(gql.body) : undefined;
    if (!parsed?.success) return undefined;
    const opp = parsed.data.data.objects.edges.find((e) => e.node.nameSingular === 'opportunity');
    const fromGql = stageOf(opp?.node.fields.edges.map((e) => e.node));
    return fromGql?.length ? fromGql : undefined;
  }
}

export const twenty: ProviderFactory = {
  id: 'twenty',
  label: 'Twenty',
  defaultBaseUrl: '',
  needsBaseUrl: true,
  hostPermissions: (baseUrl) => [`${new URL(baseUrl).origin}/*`],
  create: (conn, opts) => new TwentyProvider(conn, opts),
};
