import { rollingWindow, startFake, type Answer, type Ctx, type FakeBase, type Faults } from '../common';
import { basicAuth, FakeOAuthVendor, type OAuthVendorOptions } from '../oauth/vendor';

/**
 * A stateful Pipedrive fake: API v2 persons/organizations/deals/activities (cursor paging,
 * `updated_since`, exact search; deleted items left out except deals asked with
 * `status=…,deleted`), v1 notes (start/limit paging), v1 `/recents` (deleted items included,
 * `active_flag: false`), pipelines and stages, the
 * `{success:false,error,error_info}` error shape and 2-second-window 429s with x-ratelimit headers.
 */

export type PdRow = Record<string, unknown> & { id: number; add_time: string; update_time: string; is_deleted?: boolean };

export interface PipedriveFake extends FakeBase {
  token: string;
  tables: Record<'persons' | 'organizations' | 'deals' | 'activities' | 'notes', Map<number, PdRow>>;
  creates: number;
  setRemote(table: keyof PipedriveFake['tables'], id: number, patch: Record<string, unknown>): PdRow;
  /** oauth.pipedrive.com's token endpoint (`POST /oauth/token`) and issued tokens, when started with `oauth`. */
  oauth?: FakeOAuthVendor;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Pipedrive writes times as "YYYY-MM-DD HH:MM:SS" in UTC. */
const pdTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

export async function startPipedriveFake(o: { token?: string; seed?: number; faults?: Faults; limit?: { tokens: number; windowMs: number }; searchLimit?: { tokens: number; windowMs: number }; pageSize?: number; oauth?: OAuthVendorOptions } = {}): Promise<PipedriveFake> {
  const token = o.token ?? 'pd-token';
  const vendor = o.oauth ? new FakeOAuthVendor('pipedrive', o.oauth) : undefined;
  const tables: PipedriveFake['tables'] = { persons: new Map(), organizations: new Map(), deals: new Map(), activities: new Map(), notes: new Map() };
  const general = rollingWindow(o.limit?.tokens ?? 20, o.limit?.windowMs ?? 2_000);
  const search = rollingWindow(o.searchLimit?.tokens ?? 10, o.searchLimit?.windowMs ?? 2_000);
  let nextId = 1;
  // Pipedrive times have whole seconds; a logical clock that ticks one second per write keeps paging
  // testable. It starts a day ago, inside the 30 days Pipedrive keeps deleted items for.
  let tick = Math.floor((Date.now() - 24 * 3600_000) / 1000) * 1000;
  const stamp = () => pdTime((tick += 1000));
  const fail = (status: number, error: string, error_info = 'Please check developers.pipedrive.com') => ({ status, body: { success: false, error, error_info, data: null, additional_data: null } });
  const ok = (data: unknown, additional_data: unknown = null, status = 200) => ({ status, body: { success: true, data, additional_data } });
  const pipelines = [{ id: 1, name: 'Pipeline', order_nr: 1, is_deleted: false }];
  const stages = [
    { id: 1, name: 'Qualified', order_nr: 1, pipeline_id: 1, deal_probability: 20 },
    { id: 2, name: 'Contact Made', order_nr: 2, pipeline_id: 1, deal_probability: 40 },
    { id: 3, name: 'Proposal Made', order_nr: 3, pipeline_id: 1, deal_probability: 60 },
    { id: 4, name: 'Negotiations Started', order_nr: 4, pipeline_id: 1, deal_probability: 80 },
  ];

  function write(table: keyof typeof tables, id: number | undefined, patch: Record<string, unknown>): PdRow {
    const cur = id !== undefined ? tables[table].get(id) : undefined;
    const t = stamp();
    const row = { ...(cur ?? { id: id ?? nextId++, add_time: t, is_deleted: false }), ...patch, update_time: t } as PdRow;
    if (!cur) fake.creates++;
    tables[table].set(row.id, row);
    return row;
  }

  function validate(table: string, b: Record<string, unknown>, creating: boolean): string | undefined {
    if (table === 'persons') {
      if (creating && !b.name) return 'Name must be given.';
      for (const e of (b.emails as { value: string }[] | undefined) ?? []) if (!EMAIL_RE.test(e.value)) return `Invalid email address: ${e.value}`;
    }
    if (table === 'organizations' && creating && !b.name) return 'Name must be given.';
    if (table === 'deals' && creating && !b.title) return 'Title must be given.';
    if (table === 'deals' && b.stage_id !== undefined && !stages.some((s) => s.id === b.stage_id)) return 'Stage not found.';
    if (table === 'activities' && creating && !b.subject && !b.type) return 'Subject or type must be given.';
    if (table === 'notes' && creating) {
      if (!b.content) return 'Content must be given.';
      if (!b.person_id && !b.deal_id && !b.org_id && !b.lead_id) return 'Note must be attached to a deal, person, organization or lead.';
    }
    return undefined;
  }

  function listV2(table: 'persons' | 'organizations' | 'deals' | 'activities', q: URLSearchParams): Answer {
    const since = q.get('updated_since');
    const limit = Math.min(Number(q.get('limit') ?? 100), 500);
    const offset = q.get('cursor') ? Number(Buffer.from(q.get('cursor')!, 'base64url').toString()) : 0;
    const personId = q.get('person_id');
    const statuses = q.get('status')?.split(',');
    let rows = [...tables[table].values()];
    if (table === 'deals') rows = rows.filter((r) => (statuses ? statuses.includes(String(r.status)) || (r.is_deleted && statuses.includes('deleted')) : !r.is_deleted));
    else rows = rows.filter((r) => !r.is_deleted);
    if (since) rows = rows.filter((r) => Date.parse(`${r.update_time.replace(' ', 'T')}Z`) >= Date.parse(since));
    if (personId) rows = rows.filter((r) => String(r.person_id) === personId || ((r.participants as { person_id: number }[] | undefined) ?? []).some((p) => String(p.person_id) === personId));
    const by = q.get('sort_by') ?? 'id';
    const dir = q.get('sort_direction') === 'desc' ? -1 : 1;
    rows.sort((a, b) => dir * ((by === 'id' ? 0 : String(a[by]).localeCompare(String(b[by]))) || a.id - b.id));
    const page = rows.slice(offset, offset + limit);
    const more = offset + limit < rows.length;
    return ok(page, { next_cursor: more ? Buffer.from(String(offset + limit)).toString('base64url') : null });
  }

  /** v1 shapes as `/recents` returns them: `active_flag` false once deleted, v1 field names. */
  function v1Item(table: 'persons' | 'organizations' | 'deals', r: PdRow): Record<string, unknown> {
    const { is_deleted, emails, phones, ...rest } = r;
    if (table === 'persons') return { ...rest, email: emails ?? [], phone: phones ?? [], active_flag: !is_deleted };
    if (table === 'organizations') return { ...rest, active_flag: !is_deleted };
    return { ...rest, active: !is_deleted, deleted: Boolean(is_deleted) };
  }

  /** Changes strictly after `since_timestamp`, deleted items included, oldest first, start/limit paging. */
  function recents(q: URLSearchParams): Answer {
    const since = q.get('since_timestamp') ?? '';
    if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(since)) return fail(400, 'Invalid since_timestamp', 'Format: YYYY-MM-DD HH:MM:SS');
    const items = q.get('items')?.split(',');
    const TABLE = { person: 'persons', organization: 'organizations', deal: 'deals' } as const;
    const rows: { item: string; id: number; data: Record<string, unknown>; at: string }[] = [];
    for (const [item, table] of Object.entries(TABLE)) {
      if (items && !items.includes(item)) continue;
      for (const r of tables[table].values()) if (r.update_time > since) rows.push({ item, id: r.id, data: v1Item(table, r), at: r.update_time });
    }
    rows.sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
    const start = Number(q.get('start') ?? 0);
    const limit = Math.min(Number(q.get('limit') ?? 100), 500);
    const page = rows.slice(start, start + limit);
    const more = start + limit < rows.length;
    return ok(page.map(({ item, id, data }) => ({ item, id, data })), { since_timestamp: since, last_timestamp_on_page: page.at(-1)?.at ?? since, pagination: { start, limit, more_items_in_collection: more } });
  }

  function handle(ctx: Ctx): Answer {
    if (vendor && ctx.method === 'POST' && ctx.path === '/oauth/token') return vendor.token((ctx.body ?? {}) as Record<string, string>, basicAuth(ctx.headers.authorization));
    const bearer = /^Bearer /.test(ctx.headers.authorization ?? '') ? ctx.headers.authorization!.slice(7) : undefined;
    const auth = ctx.headers['x-api-token'] ?? ctx.query.get('api_token') ?? bearer;
    if (auth !== token && !(bearer && vendor?.accepts(bearer))) return fail(401, 'unauthorized access', 'Please provide a valid API token');
    const p = ctx.path;
    const b = (ctx.body ?? {}) as Record<string, unknown>;
    let m: RegExpMatchArray | null;
    if (p === '/v1/users/me') return ok({ id: 1, name: 'Test User', company_name: 'Fake Co', company_domain: 'fakeco' });
    if (p === '/api/v2/pipelines') return ok(pipelines, { next_cursor: null });
    if (p === '/api/v2/stages') return ok(stages.filter((s) => !ctx.query.get('pipeline_id') || String(s.pipeline_id) === ctx.query.get('pipeline_id')), { next_cursor: null });
    if ((m = p.match(/^\/api\/v2\/(persons|organizations)\/search$/))) {
      const term = (ctx.query.get('term') ?? '').toLowerCase();
      if (term.length < 2) return fail(400, 'Search term must be at least 2 characters long');
      const field = ctx.query.get('fields') ?? 'name';
      const exact = ctx.query.get('exact_match') === 'true';
      const hits = [...tables[m[1] as 'persons'].values()].filter((r) => {
        if (r.is_deleted) return false;
        const vals = field === 'email' ? ((r.emails as { value: string }[] | undefined) ?? []).map((e) => e.value.toLowerCase()) : [String(r.name ?? '').toLowerCase()];
        return vals.some((v) => (exact ? v === term : v.includes(term)));
      });
      return ok({ items: hits.map((r) => ({ result_score: 1, item: { id: r.id, type: m![1] === 'persons' ? 'person' : 'organization', name: r.name, emails: ((r.emails as { value: string }[] | undefined) ?? []).map((e) => e.value) } })) }, { next_cursor: null });
    }
    if ((m = p.match(/^\/api\/v2\/(persons|organizations|deals|activities)$/))) {
      const table = m[1] as 'persons' | 'organizations' | 'deals' | 'activities';
      if (ctx.method === 'GET') return listV2(table, ctx.query);
      if (ctx.method === 'POST') {
        const bad = validate(table, b, true);
        if (bad) return fail(400, bad);
        return ok(write(table, undefined, { ...b, ...(table === 'deals' ? { status: b.status ?? 'open' } : {}) }));
      }
    }
    if ((m = p.match(/^\/api\/v2\/(persons|organizations|deals|activities)\/(\d+)$/))) {
      const table = m[1] as 'persons' | 'organizations' | 'deals' | 'activities';
      const row = tables[table].get(Number(m[2]));
      if (!row || row.is_deleted) return fail(404, 'Item not found');
      if (ctx.method === 'GET') return ok(row);
      if (ctx.method === 'PATCH') {
        const bad = validate(table, b, false);
        if (bad) return fail(400, bad);
        return ok(write(table, row.id, b));
      }
      if (ctx.method === 'DELETE') {
        write(table, row.id, { is_deleted: true, ...(table === 'deals' ? { status: 'deleted' } : {}) });
        return ok({ id: row.id });
      }
    }
    if (p === '/v1/recents' && ctx.method === 'GET') return recents(ctx.query);
    if (p === '/v1/notes') {
      if (ctx.method === 'POST') {
        const bad = validate('notes', b, true);
        if (bad) return fail(400, bad);
        return ok(write('notes', undefined, b), null, 201);
      }
      const start = Number(ctx.query.get('start') ?? 0);
      const limit = Math.min(Number(ctx.query.get('limit') ?? 100), 500);
      let rows = [...tables.notes.values()].filter((r) => !r.is_deleted);
      for (const k of ['person_id', 'deal_id', 'org_id']) if (ctx.query.get(k)) rows = rows.filter((r) => String(r[k]) === ctx.query.get(k));
      if (ctx.query.get('sort') === 'add_time DESC') rows.reverse();
      const page = rows.slice(start, start + limit);
      return ok(page, { pagination: { start, limit, more_items_in_collection: start + limit < rows.length, next_start: start + limit } });
    }
    if ((m = p.match(/^\/v1\/notes\/(\d+)$/))) {
      const row = tables.notes.get(Number(m[1]));
      if (!row || row.is_deleted) return fail(404, 'Note not found');
      if (ctx.method === 'PUT') return ok(write('notes', row.id, b));
      if (ctx.method === 'DELETE') {
        write('notes', row.id, { is_deleted: true });
        return ok(true);
      }
      return ok(row);
    }
    return fail(404, `Unknown method ${ctx.method} ${p}`);
  }

  const limitedAnswer = (w: ReturnType<typeof rollingWindow>, limit: number): Answer => ({
    status: 429,
    headers: { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.max(1, Math.ceil(w.resetMs() / 1000))) },
    body: { success: false, error: 'Request over limit', error_info: 'Please check developers.pipedrive.com', data: null, additional_data: null },
  });
  const base = await startFake({
    seed: o.seed,
    faults: o.faults,
    burst429: () => limitedAnswer(general, o.limit?.tokens ?? 20),
    limited: (ctx) => {
      if (ctx.path.endsWith('/search') && !search.hit()) return limitedAnswer(search, o.searchLimit?.tokens ?? 10);
      if (!general.hit()) return limitedAnswer(general, o.limit?.tokens ?? 20);
      return undefined;
    },
    handle,
  });
  const fake: PipedriveFake = Object.assign(base, {
    token,
    tables,
    oauth: vendor,
    creates: 0,
    setRemote: (table: keyof typeof tables, id: number, patch: Record<string, unknown>) => write(table, id, patch),
  });
  return fake;
}
