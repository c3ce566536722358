import { rollingWindow, startFake, type Answer, type Ctx, type FakeBase, type Faults } from '../common';

/**
 * A stateful Twenty REST fake: `/rest/{plural}` lists with `filter=updatedAt[gte]:"…"`,
 * `order_by`, `limit`, `starting_after` and `pageInfo`; `/rest/batch/{plural}?upsert=true`
 * with client-chosen UUIDs; unique primary emails; `{statusCode,message,error}` errors.
 */

export type TwRow = Record<string, unknown> & { id: string; createdAt: string; updatedAt: string; deletedAt: string | null };
const PLURALS = ['people', 'companies', 'opportunities', 'notes', 'tasks', 'noteTargets', 'taskTargets', 'workspaceMembers'] as const;
type Plural = (typeof PLURALS)[number];

export interface TwentyFake extends FakeBase {
  token: string;
  tables: Record<Plural, Map<string, TwRow>>;
  creates: number;
  setRemote(plural: Plural, id: string, patch: Record<string, unknown>): TwRow;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SINGULAR: Record<string, string> = { people: 'Person', companies: 'Company', opportunities: 'Opportunity', notes: 'Note', tasks: 'Task', noteTargets: 'NoteTarget', taskTargets: 'TaskTarget' };

export async function startTwentyFake(o: { token?: string; seed?: number; faults?: Faults; limit?: { tokens: number; windowMs: number } } = {}): Promise<TwentyFake> {
  const token = o.token ?? 'tw-key';
  const tables = Object.fromEntries(PLURALS.map((p) => [p, new Map<string, TwRow>()])) as TwentyFake['tables'];
  const now = new Date().toISOString();
  tables.workspaceMembers.set('m1', { id: 'm1', name: { firstName: 'Ada', lastName: 'Admin' }, userEmail: 'ada@example.com', createdAt: now, updatedAt: now, deletedAt: null });
  const limiter = rollingWindow(o.limit?.tokens ?? 100, o.limit?.windowMs ?? 1_000);
  let last = 0;
  const stamp = () => new Date((last = Math.max(Date.now(), last + 1))).toISOString();
  const fail = (statusCode: number, message: string, error = 'BadRequestException'): Answer => ({ status: statusCode, body: { statusCode, message, error } });

  function write(plural: Plural, input: Record<string, unknown>): TwRow {
    const id = String(input.id ?? crypto.randomUUID());
    const cur = tables[plural].get(id);
    const t = stamp();
    const row = { ...(cur ?? { createdAt: t, deletedAt: null }), ...input, id, updatedAt: t } as TwRow;
    if (!cur) fake.creates++;
    tables[plural].set(id, row);
    return row;
  }

  function validate(plural: Plural, r: Record<string, unknown>): string | undefined {
    if (r.id !== undefined && !UUID.test(String(r.id))) return `Invalid UUID: ${String(r.id)}`;
    if (plural === 'people') {
      const email = (r.emails as { primaryEmail?: string } | undefined)?.primaryEmail;
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return `Invalid email "${email}"`;
      if (email) for (const p of tables.people.values()) if (p.id !== r.id && !p.deletedAt && (p.emails as { primaryEmail?: string })?.primaryEmail === email) return 'Duplicate Emails: a record with this email already exists';
    }
    if (plural === 'opportunities' && r.stage !== undefined && !['NEW', 'SCREENING', 'MEETING', 'PROPOSAL', 'CUSTOMER'].includes(String(r.stage))) return `Invalid value for stage: ${String(r.stage)}`;
    if ((plural === 'noteTargets' || plural === 'taskTargets') && ![r.personId, r.opportunityId, r.companyId].some(Boolean)) return 'A target needs a record';
    return undefined;
  }

  function list(plural: Plural, q: URLSearchParams): Answer {
    let rows = [...tables[plural].values()].filter((r) => !r.deletedAt);
    const f = q.get('filter');
    if (f) {
      const m = f.match(/^updatedAt\[(gte|gt)\]:"?([^"]+)"?$/);
      if (!m) return fail(400, `Unsupported filter ${f}`);
      const at = Date.parse(m[2]!);
      rows = rows.filter((r) => (m[1] === 'gte' ? Date.parse(r.updatedAt) >= at : Date.parse(r.updatedAt) > at));
    }
    rows.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
    const limit = Math.min(Number(q.get('limit') ?? 60), 200);
    const after = q.get('starting_after');
    const start = after ? Number(Buffer.from(after, 'base64url').toString()) : 0;
    const page = rows.slice(start, start + limit);
    const end = start + page.length;
    return { status: 200, body: { data: { [plural]: page }, pageInfo: { hasNextPage: end < rows.length, startCursor: Buffer.from(String(start)).toString('base64url'), endCursor: Buffer.from(String(end)).toString('base64url') }, totalCount: rows.length } };
  }

  function handle(ctx: Ctx): Answer {
    if (ctx.headers.authorization !== `Bearer ${token}`) return fail(401, 'Token invalid.', 'UNAUTHENTICATED');
    let m: RegExpMatchArray | null;
    if ((m = ctx.path.match(/^\/rest\/batch\/(\w+)$/)) && ctx.method === 'POST' && (PLURALS as readonly string[]).includes(m[1]!)) {
      const plural = m[1] as Plural;
      const body = ctx.body;
      if (!Array.isArray(body)) return fail(400, 'Body must be an array');
      if (body.length > 100) return fail(400, 'Maximum number of records to upsert is 100');
      const upsert = ctx.query.get('upsert') === 'true';
      for (const r of body as Record<string, unknown>[]) {
        const bad = validate(plural, r);
        if (bad) return fail(400, bad);
        if (!upsert && r.id && tables[plural].has(String(r.id))) return fail(400, 'Record already exists');
      }
      const rows = (body as Record<string, unknown>[]).map((r) => write(plural, r));
      return { status: 201, body: { data: { [`create${plural[0]!.toUpperCase()}${plural.slice(1)}`]: rows } } };
    }
    if ((m = ctx.path.match(/^\/rest\/(\w+)$/)) && (PLURALS as readonly string[]).includes(m[1]!)) {
      const plural = m[1] as Plural;
      if (ctx.method === 'GET') return list(plural, ctx.query);
      if (ctx.method === 'POST') {
        const r = (ctx.body ?? {}) as Record<string, unknown>;
        const bad = validate(plural, r);
        if (bad) return fail(400, bad);
        return { status: 201, body: { data: { [`create${SINGULAR[plural]}`]: write(plural, r) } } };
      }
    }
    if ((m = ctx.path.match(/^\/rest\/(\w+)\/([\w-]+)$/)) && (PLURALS as readonly string[]).includes(m[1]!)) {
      const plural = m[1] as Plural;
      const row = tables[plural].get(m[2]!);
      if (!row || row.deletedAt) return fail(404, `Record ${m[2]} not found`, 'NotFoundException');
      if (ctx.method === 'DELETE') {
        row.deletedAt = stamp();
        row.updatedAt = row.deletedAt;
        return { status: 200, body: { data: { [`delete${SINGULAR[plural]}`]: { id: row.id } } } };
      }
      if (ctx.method === 'PATCH' || ctx.method === 'PUT') return { status: 200, body: { data: { [`update${SINGULAR[plural]}`]: write(plural, { ...(ctx.body as object), id: row.id }) } } };
      return { status: 200, body: { data: { [SINGULAR[plural]!.toLowerCase()]: row } } };
    }
    return fail(404, `Cannot ${ctx.method} ${ctx.path}`, 'NotFoundException');
  }

  const base = await startFake({
    seed: o.seed,
    faults: o.faults,
    burst429: () => ({ status: 429, body: { statusCode: 429, message: 'Too many requests', error: 'TooManyRequestsException' } }),
    limited: () => (limiter.hit() ? undefined : { status: 429, body: { statusCode: 429, message: 'Too many requests', error: 'TooManyRequestsException' } }),
    handle,
  });
  const fake: TwentyFake = Object.assign(base, { token, tables, creates: 0, setRemote: (plural: Plural, id: string, patch: Record<string, unknown>) => write(plural, { ...patch, id }) });
  return fake;
}
