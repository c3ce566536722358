import { rollingWindow, startFake, type Answer, type Ctx, type FakeBase, type Faults } from '../common';
import { FakeOAuthVendor, type OAuthVendorOptions } from '../oauth/vendor';

/**
 * A stateful HubSpot CRM v3/v4 fake following the documented shapes: batch upsert/update/archive
 * with 200/207 answers, search with `after` paging, archived listing, default associations,
 * deal pipelines, unique-value properties and the documented 429 bodies.
 */

export interface HsRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

export interface HubSpotFake extends FakeBase {
  token: string;
  objects: Record<string, Map<string, HsRecord>>;
  /** `${fromType}:${fromId}->${toType}:${toId}` */
  associations: Set<string>;
  uniqueProps: Map<string, Set<string>>;
  /** Calls to create records (upsert inserts and single creates): a duplicate would show here. */
  creates: number;
  setRemote(type: string, id: string, props: Record<string, string>): void;
  /** The OAuth app's token endpoint (`POST /oauth/v1/token`) and issued tokens, when started with `oauth`. */
  oauth?: FakeOAuthVendor;
}

const TYPES = ['contacts', 'companies', 'deals', 'tasks', 'emails', 'meetings', 'notes'];
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MOD = (t: string) => (t === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate');

export async function startHubSpotFake(o: { token?: string; seed?: number; faults?: Faults; limit?: { tokens: number; windowMs: number }; searchLimit?: { tokens: number; windowMs: number }; batchMax?: number; oauth?: OAuthVendorOptions } = {}): Promise<HubSpotFake> {
  const token = o.token ?? 'pat-test';
  const vendor = o.oauth ? new FakeOAuthVendor('hubspot', o.oauth) : undefined;
  const objects: Record<string, Map<string, HsRecord>> = Object.fromEntries(TYPES.map((t) => [t, new Map()]));
  const associations = new Set<string>();
  const uniqueProps = new Map<string, Set<string>>([['contacts', new Set(['email'])]]);
  const general = rollingWindow(o.limit?.tokens ?? 100, o.limit?.windowMs ?? 10_000);
  const search = rollingWindow(o.searchLimit?.tokens ?? 4, o.searchLimit?.windowMs ?? 1_000);
  const batchMax = o.batchMax ?? 100;
  let nextId = 1000;
  let lastStamp = 0;
  const stamp = () => {
    // Strictly increasing times, like a real modification log, so paging is stable.
    lastStamp = Math.max(Date.now(), lastStamp + 1);
    return new Date(lastStamp).toISOString();
  };
  const pipelines = [
    {
      id: 'default',
      label: 'Sales Pipeline',
      displayOrder: 0,
      stages: [
        { id: 'appointmentscheduled', label: 'Appointment Scheduled', displayOrder: 0, metadata: { isClosed: 'false', probability: '0.2' } },
        { id: 'qualifiedtobuy', label: 'Qualified To Buy', displayOrder: 1, metadata: { isClosed: 'false', probability: '0.4' } },
        { id: 'contractsent', label: 'Contract Sent', displayOrder: 2, metadata: { isClosed: 'false', probability: '0.8' } },
        { id: 'closedwon', label: 'Closed Won', displayOrder: 3, metadata: { isClosed: 'true', probability: '1.0' } },
        { id: 'closedlost', label: 'Closed Lost', displayOrder: 4, metadata: { isClosed: 'true', probability: '0.0' } },
      ],
    },
  ];
  const err = (status: number, message: string, category = 'VALIDATION_ERROR', extra: object = {}): Answer => ({ status, body: { status: 'error', message, correlationId: `c-${nextId++}`, category, ...extra } });

  const view = (r: HsRecord, traceId?: string, fresh?: boolean) => ({ id: r.id, properties: r.properties, createdAt: r.createdAt, updatedAt: r.updatedAt, archived: r.archived, ...(r.archivedAt ? { archivedAt: r.archivedAt } : {}), ...(traceId ? { objectWriteTraceId: traceId } : {}), ...(fresh !== undefined ? { new: fresh } : {}) });

  /** Unique-value lookups, indexed the way HubSpot enforces them (the bench upserts 10k records). */
  const uniqueIndex = new Map<string, Map<string, HsRecord>>();
  function findBy(type: string, prop: string, value: string): HsRecord | undefined {
    const idx = uniqueIndex.get(`${type}.${prop}`);
    if (idx) {
      const r = idx.get(value);
      return r && !r.archived && r.properties[prop] === value ? r : undefined;
    }
    for (const r of objects[type]!.values()) if (!r.archived && r.properties[prop] === value) return r;
    return undefined;
  }
  function reindex(type: string, r: HsRecord) {
    for (const prop of uniqueProps.get(type) ?? []) {
      const v = r.properties[prop];
      if (!v) continue;
      let idx = uniqueIndex.get(`${type}.${prop}`);
      if (!idx) uniqueIndex.set(`${type}.${prop}`, (idx = new Map([...objects[type]!.values()].filter((x) => x.properties[prop]).map((x) => [x.properties[prop]!, x]))));
      idx.set(v, r);
    }
  }

  function validate(type: string, props: Record<string, unknown>): string | undefined {
    for (const [k, v] of Object.entries(props)) {
      if (v !== null && typeof v !== 'string') return `Property values were not valid: ${k} must be a string`;
      if (k === 'email' && typeof v === 'string' && !EMAIL_RE.test(v)) return `Property values were not valid: Email address ${v} is invalid`;
      if (k === 'threadline_id' && !uniqueProps.get(type)?.has('threadline_id')) return `Property "threadline_id" does not exist`;
    }
    if ((type === 'tasks' || type === 'emails' || type === 'notes' || type === 'meetings') && props.hs_timestamp === undefined) return 'hs_timestamp is required';
    return undefined;
  }

  function write(type: string, existing: HsRecord | undefined, props: Record<string, string>): HsRecord {
    const now = stamp();
    const r = existing ?? { id: String(nextId++), properties: {}, createdAt: now, updatedAt: now, archived: false };
    r.properties = { ...r.properties, ...props, [MOD(type)]: now, hs_object_id: r.id };
    r.updatedAt = now;
    if (!existing) {
      r.properties.createdate = now;
      objects[type]!.set(r.id, r);
      fake.creates++;
    }
    reindex(type, r);
    return r;
  }

  function batch(type: string, verb: string, body: unknown): Answer {
    const inputs = (body as { inputs?: unknown[] })?.inputs;
    if (!Array.isArray(inputs)) return err(400, 'Invalid input JSON: inputs is required');
    if (inputs.length > batchMax) return err(400, `Too many inputs: limit is ${batchMax}`);
    if (verb === 'archive') {
      for (const i of inputs as { id: string }[]) {
        const r = objects[type]!.get(String(i.id));
        if (r && !r.archived) {
          r.archived = true;
          r.archivedAt = stamp();
          r.updatedAt = r.archivedAt;
        }
      }
      return { status: 204 };
    }
    if (verb === 'read') {
      const idProperty = (body as { idProperty?: string }).idProperty;
      const results = (inputs as { id: string }[]).map((i) => (idProperty ? findBy(type, idProperty, String(i.id)) : objects[type]!.get(String(i.id)))).filter((r): r is HsRecord => Boolean(r && !r.archived)).map((r) => view(r));
      return { status: 200, body: { status: 'COMPLETE', results } };
    }
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const raw of inputs as { id?: string; idProperty?: string; properties?: Record<string, string>; objectWriteTraceId?: string }[]) {
      const props = raw.properties ?? {};
      const trace = raw.objectWriteTraceId;
      const ctx = trace ? { objectWriteTraceId: [trace] } : { ids: [String(raw.id)] };
      const bad = validate(type, props);
      if (bad) {
        errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: bad, context: ctx });
        continue;
      }
      if (verb === 'update') {
        const r = objects[type]!.get(String(raw.id));
        if (!r || r.archived) {
          errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `Object not found. objectId are usually numeric.`, context: ctx });
          continue;
        }
        results.push(view(write(type, r, props), trace));
        continue;
      }
      // upsert
      if (!raw.id || !raw.idProperty) return err(400, 'Invalid input JSON: id and idProperty are required');
      if (!uniqueProps.get(type)?.has(raw.idProperty)) {
        errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: `Property ${raw.idProperty} is not a unique identifier`, context: ctx });
        continue;
      }
      const existing = findBy(type, raw.idProperty, String(raw.id));
      const r = write(type, existing, { ...props, [raw.idProperty]: String(raw.id) });
      results.push(view(r, trace, !existing));
    }
    const done = { status: 'COMPLETE', results, startedAt: new Date().toISOString(), completedAt: new Date().toISOString() };
    return errors.length ? { status: 207, body: { ...done, errors, numErrors: errors.length } } : { status: 200, body: done };
  }

  function searchObjects(type: string, body: unknown): Answer {
    const b = body as { filterGroups?: { filters?: { propertyName: string; operator: string; value?: string }[] }[]; sorts?: unknown[]; limit?: number; after?: string; properties?: string[] };
    const limit = Math.min(b.limit ?? 10, 200);
    const after = Number(b.after ?? 0);
    if (after >= 10_000) return err(400, 'The search API has a limit of 10,000 results.');
    const match = (r: HsRecord) =>
      !b.filterGroups?.length ||
      b.filterGroups.some((g) =>
        (g.filters ?? []).every((f) => {
          const raw = r.properties[f.propertyName];
          const isTime = /date|timestamp/.test(f.propertyName);
          const v = isTime ? Date.parse(raw ?? '') : raw;
          const w = isTime ? Number(f.value) : f.value;
          if (f.operator === 'EQ') return v === w;
          if (f.operator === 'GTE') return v !== undefined && v !== null && (v as number) >= (w as number);
          if (f.operator === 'GT') return v !== undefined && v !== null && (v as number) > (w as number);
          return false;
        }),
      );
    const mod = MOD(type);
    const all = [...objects[type]!.values()].filter((r) => !r.archived && match(r)).sort((x, y) => Date.parse(x.properties[mod]!) - Date.parse(y.properties[mod]!) || Number(x.id) - Number(y.id));
    const page = all.slice(after, after + limit);
    const next = after + limit < all.length ? { next: { after: String(after + limit), link: '' } } : undefined;
    return { status: 200, body: { total: all.length, results: page.map((r) => view(r)), ...(next ? { paging: next } : {}) } };
  }

  function handle(ctx: Ctx): Answer {
    if (vendor && ctx.method === 'POST' && ctx.path === '/oauth/v1/token') return vendor.token((ctx.body ?? {}) as Record<string, string>);
    const bearer = (ctx.headers.authorization ?? '').replace(/^Bearer /, '');
    if (bearer !== token && !vendor?.accepts(bearer)) return err(401, 'Authentication credentials not found.', 'INVALID_AUTHENTICATION');
    const p = ctx.path;
    let m: RegExpMatchArray | null;
    if (ctx.method === 'GET' && p === '/account-info/v3/details') return { status: 200, body: { portalId: 4242, accountType: 'STANDARD', timeZone: 'UTC', companyCurrency: 'USD', uiDomain: 'app.hubspot.com' } };
    if (ctx.method === 'GET' && p === '/crm/v3/pipelines/deals') return { status: 200, body: { results: pipelines } };
    if ((m = p.match(/^\/crm\/v3\/properties\/(\w+)\/(\w+)$/)) && ctx.method === 'GET') {
      return uniqueProps.get(m[1]!)?.has(m[2]!) ? { status: 200, body: { name: m[2], hasUniqueValue: true, type: 'string' } } : err(404, `Unable to find property ${m[2]}`, 'OBJECT_NOT_FOUND');
    }
    if ((m = p.match(/^\/crm\/v3\/properties\/(\w+)$/)) && ctx.method === 'POST') {
      const b = ctx.body as { name?: string; hasUniqueValue?: boolean };
      const set = uniqueProps.get(m[1]!) ?? new Set();
      if (set.has(b.name!)) return err(409, `A property named ${b.name} already exists`, 'OBJECT_ALREADY_EXISTS');
      if (b.hasUniqueValue) set.add(b.name!);
      uniqueProps.set(m[1]!, set);
      return { status: 201, body: { name: b.name, hasUniqueValue: b.hasUniqueValue } };
    }
    if ((m = p.match(/^\/crm\/v3\/objects\/(\w+)\/batch\/(upsert|update|archive|read)$/)) && ctx.method === 'POST' && objects[m[1]!]) return batch(m[1]!, m[2]!, ctx.body);
    if ((m = p.match(/^\/crm\/v3\/objects\/(\w+)\/search$/)) && ctx.method === 'POST' && objects[m[1]!]) return searchObjects(m[1]!, ctx.body);
    if ((m = p.match(/^\/crm\/v3\/objects\/(\w+)\/(\d+)$/)) && objects[m[1]!]) {
      const r = objects[m[1]!]!.get(m[2]!);
      if (!r || r.archived) return err(404, 'Object not found', 'OBJECT_NOT_FOUND');
      if (ctx.method === 'GET') return { status: 200, body: view(r) };
      if (ctx.method === 'PATCH') {
        const props = (ctx.body as { properties?: Record<string, string> })?.properties ?? {};
        const bad = validate(m[1]!, props);
        if (bad) return err(400, bad);
        return { status: 200, body: view(write(m[1]!, r, props)) };
      }
    }
    if ((m = p.match(/^\/crm\/v3\/objects\/(\w+)$/)) && objects[m[1]!]) {
      if (ctx.method === 'GET') {
        const archived = ctx.query.get('archived') === 'true';
        const limit = Math.min(Number(ctx.query.get('limit') ?? 10), 100);
        const after = Number(ctx.query.get('after') ?? 0);
        const all = [...objects[m[1]!]!.values()].filter((r) => r.archived === archived).sort((a, b) => Number(a.id) - Number(b.id));
        const page = all.slice(after, after + limit);
        return { status: 200, body: { results: page.map((r) => view(r)), ...(after + limit < all.length ? { paging: { next: { after: String(after + limit) } } } : {}) } };
      }
      if (ctx.method === 'POST') {
        const props = (ctx.body as { properties?: Record<string, string> })?.properties ?? {};
        const bad = validate(m[1]!, props);
        if (bad) return err(400, bad);
        if (m[1] === 'contacts' && props.email && findBy('contacts', 'email', props.email)) return err(409, `Contact already exists. Existing ID: ${findBy('contacts', 'email', props.email)!.id}`, 'CONFLICT');
        return { status: 201, body: view(write(m[1]!, undefined, props)) };
      }
    }
    if ((m = p.match(/^\/crm\/v4\/associations\/(\w+)\/(\w+)\/batch\/associate\/default$/)) && ctx.method === 'POST') {
      const inputs = (ctx.body as { inputs?: { from: { id: string }; to: { id: string } }[] })?.inputs ?? [];
      if (inputs.length > batchMax) return err(400, `Too many inputs: limit is ${batchMax}`);
      const results: unknown[] = [];
      const errors: unknown[] = [];
      for (const i of inputs) {
        const a = objects[m[1]!]?.get(String(i.from.id));
        const b = objects[m[2]!]?.get(String(i.to.id));
        if (!a || !b || a.archived || b.archived) {
          errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: `No ${!a ? m[1] : m[2]} with id ${!a ? i.from.id : i.to.id}`, context: { fromObjectId: [String(i.from.id)] } });
          continue;
        }
        associations.add(`${m[1]}:${a.id}->${m[2]}:${b.id}`);
        associations.add(`${m[2]}:${b.id}->${m[1]}:${a.id}`);
        results.push({ from: { id: a.id }, to: { id: b.id }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 0 } });
      }
      const done = { status: 'COMPLETE', results };
      return errors.length ? { status: 207, body: { ...done, errors, numErrors: errors.length } } : { status: 200, body: done };
    }
    if ((m = p.match(/^\/crm\/v4\/associations\/(\w+)\/(\w+)\/batch\/read$/)) && ctx.method === 'POST') {
      const inputs = (ctx.body as { inputs?: { id: string }[] })?.inputs ?? [];
      const results = inputs.map((i) => ({
        from: { id: String(i.id) },
        to: [...associations].filter((k) => k.startsWith(`${m![1]}:${i.id}->${m![2]}:`)).map((k) => ({ toObjectId: Number(k.split(':').pop()), associationTypes: [] })),
      }));
      return { status: 200, body: { status: 'COMPLETE', results } };
    }
    return err(404, `No route ${ctx.method} ${p}`, 'NOT_FOUND');
  }

  const base = await startFake({
    seed: o.seed,
    faults: o.faults,
    burst429: () => ({ status: 429, body: { status: 'error', message: 'You have reached your ten secondly limit.', errorType: 'RATE_LIMIT', correlationId: 'burst', policyName: 'TEN_SECONDLY_ROLLING', requestId: 'burst' } }),
    limited: (ctx) => {
      if (ctx.path.endsWith('/search') && !search.hit()) return { status: 429, body: { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: 'search', policyName: 'SECONDLY', requestId: 'search' } };
      if (!general.hit()) return { status: 429, body: { status: 'error', message: 'You have reached your ten secondly limit.', errorType: 'RATE_LIMIT', correlationId: 'ten', policyName: 'TEN_SECONDLY_ROLLING', requestId: 'ten' } };
      return undefined;
    },
    handle,
  });
  const fake: HubSpotFake = Object.assign(base, {
    token,
    objects,
    associations,
    uniqueProps,
    oauth: vendor,
    creates: 0,
    setRemote(type: string, id: string, props: Record<string, string>) {
      const r = objects[type]!.get(id);
      write(type, r, props);
    },
  });
  return fake;
}
