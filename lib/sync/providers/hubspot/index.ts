import type { z } from 'zod';
import { providerHttp, TransientError, type HttpClient, type HttpResponse } from '../../http';
import type { Connection, CrmProvider, ProviderFactory, ProviderOptions, PullPage, PushHooks, PushItem, PushResult, RemotePipeline, SyncKind } from '../../types';
import { associationsOf, ID_PROPERTY, KIND_TYPE, modifiedProp, propertiesOf, PULL_PROPS, toRemoteRecord, typeOf, type HsType } from './map';
import { HsAccount, HsAssocBatch, HsAssocCreate, HsBatchResponse, HsError, HsPage, HsPipelines } from './schemas';

export const HUBSPOT_BASE = 'https://api.hubapi.com';
/** Private apps on Free/Starter: 100 per rolling 10 s; CRM search: 4 per second per token. */
export const HUBSPOT_LIMITS = { general: { tokens: 100, windowMs: 10_000 }, search: { tokens: 4, windowMs: 1_000 } };
const BATCH_MAX = 100;
/** HubSpot's search caps `after` at 10,000 results; we move the watermark before that. */
const SEARCH_CAP = 9_900;

function messageOf(res: HttpResponse): string {
  const e = HsError.safeParse(res.body);
  if (!e.success) return `HubSpot answered ${res.status}.`;
  const details = (e.data.errors ?? []).map((x) => x.message).filter(Boolean);
  return details.length ? `${e.data.message} (${details.join('; ')})` : e.data.message;
}

/** HubSpot documents no Retry-After; its own SDK waits by policy, so do we. */
export function hubspotRateLimitWait(res: HttpResponse, attempt: number, now: number): number {
  const e = HsError.safeParse(res.body);
  const policy = e.success ? e.data.policyName : undefined;
  if (policy === 'DAILY') {
    const d = new Date(now);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
  }
  if (policy === 'TEN_SECONDLY_ROLLING') return 10_000 * attempt;
  if (policy === 'SECONDLY' || (e.success && /secondly/i.test(e.data.message))) return 1_000 * attempt;
  return 10_000 * attempt;
}

function parse<T extends z.ZodType>(schema: T, res: HttpResponse, what: string): z.output<T> {
  const r = schema.safeParse(res.body);
  // A malformed answer is the CRM's fault, not the record's: retry later rather than fail the item.
  if (!r.success) throw new TransientError(`HubSpot sent an unexpected ${what} answer: ${r.error.issues[0]?.message ?? 'bad shape'}`, true);
  return r.data;
}

export class HubSpotProvider implements CrmProvider {
  readonly id = 'hubspot' as const;
  readonly pullKinds = ['company', 'contact', 'deal', 'task'] as const satisfies readonly SyncKind[];
  /**
   * Batch upserts are keyed by unique values, so parallel batches cannot create twins. As many
   * batches as the bucket has tokens: every first request can leave at once, and the rate
   * limiter queues the rest (each batch's associations) for the tokens as they come back.
   */
  readonly concurrency: number;
  private readonly http: HttpClient;

  constructor(conn: Connection, opts: ProviderOptions) {
    this.concurrency = (opts.limits?.general ?? HUBSPOT_LIMITS.general).tokens;
    this.http = providerHttp(opts, {
      baseUrl: conn.baseUrl || HUBSPOT_BASE,
      headers: { authorization: `Bearer ${conn.secret}` },
      limits: HUBSPOT_LIMITS,
      rateLimitWaitMs: hubspotRateLimitWait,
      messageOf,
    });
  }

  batchMax(): number {
    return BATCH_MAX;
  }

  async testConnection(signal?: AbortSignal): Promise<{ accountName: string }> {
    const res = await this.http.request({ method: 'GET', path: '/account-info/v3/details' }, signal);
    if (res.status >= 400) throw new Error(messageOf(res));
    const a = parse(HsAccount, res, 'account');
    return { accountName: `HubSpot portal ${a.portalId}${a.uiDomain ? ` (${a.uiDomain})` : ''}` };
  }

  /** The unique `threadline_id` property makes batch upsert idempotent for every object we create. */
  async prepare(signal?: AbortSignal): Promise<void> {
    for (const t of ['companies', 'deals', 'tasks', 'emails', 'meetings', 'notes'] as const) {
      const got = await this.http.request({ method: 'GET', path: `/crm/v3/properties/${t}/${ID_PROPERTY}` }, signal);
      if (got.status === 200) continue;
      const made = await this.http.request(
        {
          method: 'POST',
          path: `/crm/v3/properties/${t}`,
          body: { name: ID_PROPERTY, label: 'Threadline id', type: 'string', fieldType: 'text', groupName: t === 'companies' ? 'companyinformation' : t === 'deals' ? 'dealinformation' : `${t.slice(0, -1)}information`, hasUniqueValue: true },
        },
        signal,
      );
      // 409: someone created it meanwhile, which is what we wanted.
      if (made.status >= 400 && made.status !== 409) throw new Error(`Could not create the ${ID_PROPERTY} property on ${t}: ${messageOf(made)}`);
    }
  }

  quiet(): Promise<void> {
    return this.http.quiet();
  }

  async push(items: PushItem[], signal?: AbortSignal, hooks?: PushHooks): Promise<PushResult[]> {
    const byType = new Map<HsType, PushItem[]>();
    for (const i of items) byType.set(typeOf(i), [...(byType.get(typeOf(i)) ?? []), i]);
    const out: PushResult[] = [];
    for (const [type, list] of byType) {
      if (list[0]!.op === 'delete') out.push(...(await this.archive(type, list, signal)));
      else out.push(...(await this.upsert(type, list, signal, hooks)));
    }
    return out;
  }

  private async archive(type: HsType, all: PushItem[], signal?: AbortSignal): Promise<PushResult[]> {
    const found = await this.lookUp(type, all.filter((i) => !i.remoteId), signal);
    const items = all.filter((i) => i.remoteId || found.has(i.localId)).map((i) => ({ ...i, remoteId: i.remoteId ?? found.get(i.localId) }));
    // Never created remotely: nothing to archive.
    const gone: PushResult[] = all.filter((i) => !i.remoteId && !found.has(i.localId)).map((i) => ({ localId: i.localId, status: 'ok' }));
    if (!items.length) return gone;
    const res = await this.http.request({ method: 'POST', path: `/crm/v3/objects/${type}/batch/archive`, body: { inputs: items.map((i) => ({ id: i.remoteId })) } }, signal);
    // Archiving is idempotent; an id HubSpot no longer knows is already gone.
    if (res.status < 300 || res.status === 404) return [...gone, ...items.map((i) => ({ localId: i.localId, status: 'ok' as const }))];
    return [...gone, ...items.map((i) => ({ localId: i.localId, status: 'invalid' as const, error: { httpStatus: res.status, message: messageOf(res) } }))];
  }

  /** Finds records an interrupted push may have created, by their unique key (email or our id). */
  private async lookUp(type: HsType, items: PushItem[], signal?: AbortSignal): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!items.length) return out;
    const idProperty = type === 'contacts' ? 'email' : ID_PROPERTY;
    const keyOf = (i: PushItem) => (type === 'contacts' ? propertiesOf(i).email! : i.localId);
    const res = await this.http.request({ method: 'POST', path: `/crm/v3/objects/${type}/batch/read`, body: { idProperty, properties: [idProperty], inputs: items.map((i) => ({ id: keyOf(i) })) } }, signal);
    if (res.status >= 400) return out;
    const body = parse(HsBatchResponse, res, 'batch read');
    for (const i of items) {
      const hit = body.results.find((r) => (idProperty === 'email' ? r.properties.email : r.properties.threadline_id) === keyOf(i));
      if (hit) out.set(i.localId, hit.id);
    }
    return out;
  }


  private async upsert(type: HsType, items: PushItem[], signal?: AbortSignal, hooks?: PushHooks): Promise<PushResult[]> {
    const results = new Map<string, PushResult>();
    const creates = items.filter((i) => !i.remoteId);
    const updates = items.filter((i) => i.remoteId);
    if (type === 'deals') {
      // Stage moves and edits of known deals are a PATCH, as HubSpot documents for the stage.
      for (const i of updates) {
        const res = await this.http.request({ method: 'PATCH', path: `/crm/v3/objects/deals/${i.remoteId}`, body: { properties: propertiesOf(i) } }, signal);
        results.set(i.localId, res.status < 300 ? { localId: i.localId, status: 'ok', remoteId: i.remoteId } : this.refused(i, res));
      }
    } else if (updates.length) {
      await this.batch(type, 'update', updates, (i) => ({ id: i.remoteId!, properties: propertiesOf(i), objectWriteTraceId: i.localId }), results, signal);
    }
    if (creates.length) {
      await this.batch(
        type,
        'upsert',
        creates,
        (i) => {
          const properties = propertiesOf(i);
          return type === 'contacts' ? { id: properties.email!, idProperty: 'email', properties, objectWriteTraceId: i.localId } : { id: i.localId, idProperty: ID_PROPERTY, properties, objectWriteTraceId: i.localId };
        },
        results,
        signal,
      );
    }
    // The records exist now; their associations may wait a whole rate-limit window for tokens.
    const saved = items.flatMap((i) => {
      const r = results.get(i.localId);
      return r?.status === 'ok' && r.remoteId && r.remoteId !== i.remoteId ? [{ localId: i.localId, remoteId: r.remoteId }] : [];
    });
    if (saved.length) hooks?.saved?.(saved);
    await this.associate(type, items, results, signal);
    return items.map((i) => results.get(i.localId) ?? { localId: i.localId, status: 'retry', error: { httpStatus: 0, message: 'HubSpot gave no result for this record.' } });
  }

  private refused(i: PushItem, res: HttpResponse): PushResult {
    return { localId: i.localId, status: 'invalid', error: { httpStatus: res.status, message: messageOf(res) } };
  }

  /** One batch call; a 4xx for the whole batch is split in halves until the bad input stands alone. */
  private async batch(type: HsType, verb: 'upsert' | 'update', items: PushItem[], input: (i: PushItem) => unknown, results: Map<string, PushResult>, signal?: AbortSignal): Promise<void> {
    const res = await this.http.request({ method: 'POST', path: `/crm/v3/objects/${type}/batch/${verb}`, body: { inputs: items.map(input) } }, signal);
    if (res.status >= 400) {
      if (items.length === 1) return void results.set(items[0]!.localId, this.refused(items[0]!, res));
      const mid = Math.ceil(items.length / 2);
      await this.batch(type, verb, items.slice(0, mid), input, results, signal);
      await this.batch(type, verb, items.slice(mid), input, results, signal);
      return;
    }
    const body = parse(HsBatchResponse, res, 'batch');
    const props = new Map(items.map((i) => [i.localId, propertiesOf(i)]));
    const byTrace = new Map(items.map((i) => [i.localId, i]));
    const byEmail = new Map(items.map((i) => [props.get(i.localId)!.email ?? '', i]));
    for (const r of body.results) {
      const item = byTrace.get(r.objectWriteTraceId ?? '') ?? byTrace.get(r.properties.threadline_id ?? '') ?? (r.properties.email ? byEmail.get(r.properties.email) : undefined);
      if (item) results.set(item.localId, { localId: item.localId, status: 'ok', remoteId: r.id });
    }
    for (const e of body.errors ?? []) {
      const traces = e.context?.objectWriteTraceId ?? [];
      const emails = e.context?.email ?? [];
      const ids = e.context?.ids ?? [];
      for (const it of items) {
        if (traces.includes(it.localId) || ids.includes(it.remoteId ?? '\0') || ids.includes(it.localId) || emails.includes(props.get(it.localId)!.email ?? '\0')) {
          results.set(it.localId, { localId: it.localId, status: 'invalid', error: { httpStatus: 400, code: e.category, message: e.message } });
        }
      }
    }
  }

  /** Default (unlabelled) associations, batched per target type; repeating one is harmless. */
  private async associate(type: HsType, items: PushItem[], results: Map<string, PushResult>, signal?: AbortSignal): Promise<void> {
    const pairs = new Map<HsType, { from: string; to: string; localId: string }[]>();
    for (const i of items) {
      const r = results.get(i.localId);
      if (r?.status !== 'ok' || !r.remoteId) continue;
      for (const a of associationsOf(i)) pairs.set(a.to, [...(pairs.get(a.to) ?? []), { from: r.remoteId, to: a.id, localId: i.localId }]);
    }
    for (const [to, list] of pairs) {
      for (let k = 0; k < list.length; k += BATCH_MAX) {
        const chunk = list.slice(k, k + BATCH_MAX);
        let res: HttpResponse;
        let body: z.output<typeof HsAssocCreate> = { results: [] };
        try {
          res = await this.http.request({ method: 'POST', path: `/crm/v4/associations/${type}/${to}/batch/associate/default`, body: { inputs: chunk.map((p) => ({ from: { id: p.from }, to: { id: p.to } })) } }, signal);
          if (res.status < 400) body = parse(HsAssocCreate, res, 'association');
        } catch (e) {
          if (!(e instanceof TransientError)) throw e;
          // The object exists (its id is kept); only the link is owed: push it again later.
          for (const p of chunk) results.set(p.localId, { localId: p.localId, status: 'retry', remoteId: p.from, error: { httpStatus: 0, message: e.message } });
          continue;
        }
        if (res.status >= 400) {
          for (const p of chunk) results.set(p.localId, { localId: p.localId, status: 'invalid', remoteId: p.from, error: { httpStatus: res.status, message: `Saved, but not linked: ${messageOf(res)}` } });
          continue;
        }
        for (const e of body.errors ?? []) {
          const ids = [...(e.context?.fromObjectId ?? []), ...(e.context?.ids ?? [])];
          for (const p of chunk) if (ids.includes(p.from)) results.set(p.localId, { localId: p.localId, status: 'invalid', remoteId: p.from, error: { httpStatus: 400, message: `Saved, but not linked: ${e.message}` } });
        }
      }
    }
  }

  async pull(kind: SyncKind, since: number, page: string | null, signal?: AbortSignal): Promise<PullPage> {
    const type = KIND_TYPE[kind];
    if (!type) return { records: [], next: null };
    // Page token: `s:<after>` walks the search, `a:<after>` then walks archived records for tombstones.
    const [phase, after] = page ? [page.slice(0, 1), page.slice(2)] : ['s', ''];
    if (phase === 's') {
      const prop = modifiedProp(type);
      const res = await this.http.request(
        {
          method: 'POST',
          path: `/crm/v3/objects/${type}/search`,
          buckets: ['search'],
          body: {
            filterGroups: [{ filters: [{ propertyName: prop, operator: 'GTE', value: String(since) }] }],
            sorts: [{ propertyName: prop, direction: 'ASCENDING' }],
            properties: PULL_PROPS[type],
            limit: 100,
            ...(after ? { after } : {}),
          },
        },
        signal,
      );
      if (res.status >= 400) throw new TransientError(`HubSpot search failed: ${messageOf(res)}`, false);
      const body = parse(HsPage, res, 'search');
      const records = body.results.map((o) => toRemoteRecord(kind, o));
      if (kind === 'deal' && records.length) await this.dealContacts(records, signal);
      const nextAfter = body.paging?.next?.after;
      // The archived walk runs on a first pull too: records linked before a reconnect may have
      // been archived meanwhile (only linked records are tombstoned, so the rest cost a read).
      const next = nextAfter && Number(nextAfter) < SEARCH_CAP ? `s:${nextAfter}` : 'a:';
      // Past the cap, the caller advances the watermark to the newest record seen and searches again.
      return { records, next: nextAfter && Number(nextAfter) >= SEARCH_CAP ? null : next };
    }
    const res = await this.http.request({ method: 'GET', path: `/crm/v3/objects/${type}`, query: { archived: true, limit: 100, after: after || undefined, properties: PULL_PROPS[type]?.join(',') } }, signal);
    if (res.status >= 400) throw new TransientError(`HubSpot list failed: ${messageOf(res)}`, false);
    const body = parse(HsPage, res, 'list');
    const records = body.results.map((o) => ({ ...toRemoteRecord(kind, { ...o, archived: true }), deleted: true })).filter((r) => r.updatedAt >= since);
    const nextAfter = body.paging?.next?.after;
    return { records, next: nextAfter ? `a:${nextAfter}` : null };
  }

  private async dealContacts(records: { remoteId: string; links?: { contactIds?: string[] } }[], signal?: AbortSignal): Promise<void> {
    const res = await this.http.request({ method: 'POST', path: '/crm/v4/associations/deals/contacts/batch/read', body: { inputs: records.map((r) => ({ id: r.remoteId })) } }, signal);
    if (res.status >= 400) return;
    const body = parse(HsAssocBatch, res, 'association read');
    const byId = new Map(body.results.map((r) => [r.from.id, r.to.map((t) => String(t.toObjectId))]));
    for (const r of records) {
      const ids = byId.get(r.remoteId);
      if (ids?.length) r.links = { ...r.links, contactIds: ids };
    }
  }

  async listPipelines(signal?: AbortSignal): Promise<RemotePipeline[]> {
    const res = await this.http.request({ method: 'GET', path: '/crm/v3/pipelines/deals' }, signal);
    if (res.status >= 400) throw new TransientError(`HubSpot pipelines: ${messageOf(res)}`, false);
    return parse(HsPipelines, res, 'pipelines').results.map((p) => ({
      id: p.id,
      label: p.label,
      stages: p.stages.map((s) => {
        const closed = s.metadata?.isClosed === 'true';
        const prob = Number(s.metadata?.probability ?? NaN);
        return { id: s.id, label: s.label, order: s.displayOrder, outcome: closed ? (prob >= 1 ? 'won' : 'lost') : 'open', probability: Number.isNaN(prob) ? undefined : Math.min(1, Math.max(0, prob)) };
      }),
    }));
  }
}

export const hubspot: ProviderFactory = {
  id: 'hubspot',
  label: 'HubSpot',
  defaultBaseUrl: HUBSPOT_BASE,
  needsBaseUrl: false,
  hostPermissions: (baseUrl) => [`${new URL(baseUrl || HUBSPOT_BASE).origin}/*`],
  create: (conn, opts) => new HubSpotProvider(conn, opts),
};
