import { rollingWindow, startFake, type Answer, type Ctx, type FakeBase, type Faults } from '../common';

/**
 * A stateful Twenty REST fake: `/rest/{plural}` lists with `filter=updatedAt[gte]:"…"`,
 * `order_by`, `limit`, `starting_after` and `pageInfo`; soft deletes (`deletedAt`), listed only
 * by a filter on `deletedAt`; the opportunity `stage` options through `GET /rest/metadata/objects`
 * and the metadata GraphQL endpoint; `/rest/batch/{plural}?upsert=true`
 * with client-chosen UUIDs; unique primary emails; `{statusCode,message,error}` errors.
 */

export type TwRow = Record<string, unknown> & { id: string; createdAt: string; updatedAt: string; deletedAt: string | null };
const PLURALS = ['people', 'companies', 'opportunities', 'notes', 'tasks', 'noteTargets', 'taskTargets', 'workspaceMembers'] as const;
type Plural = (typeof PLURALS)[number];

export interface TwentyFake extends FakeBase {
  token: string;
  /** The workspace's opportunity stages; tests rename and add some. */
  stages: TwStageOption[];
  tables: Record<Plural, Map<string, TwRow>>;
  creates: number;
  setRemote(plural: Plural, id: string, patch: Record<string, unknown>): TwRow;
  /** A soft delete made in Twenty's UI: sets `deletedAt` only. */
  softDelete(plural: Plural, id: string): TwRow;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SINGULAR: Record<string, string> = { people: 'Person', companies: 'Company', opportunities: 'Opportunity', notes: 'Note', tasks: 'Task', noteTargets: 'NoteTarget', taskTargets: 'TaskTarget' };

/** The opportunity `stage` select options as the metadata API describes them. */
export interface TwStageOption {
  id?: string;
  value: string;
  label: string;
  position: number;
  color?: string;
}

export const DEFAULT_STAGES: TwStageOption[] = ['NEW', 'SCREENING', 'MEETING', 'PROPOSAL', 'CUSTOMER'].map((value, position) => ({ value, label: value[0] + value.slice(1).toLowerCase(), position, color: 'blue' }));

export async function startTwentyFake(
  o: {
    token?: string;
    seed?: number;
    faults?: Faults;
    limit?: { tokens: number; windowMs: number };
    stages?: TwStageOption[];
    /** 'inline': `GET /rest/metadata/objects` lists each object's fields (older servers); 'graphql': it does not, and `POST /metadata` must be asked. */
    metadata?: 'inline' | 'graphql';
  } = {},
): Promise<TwentyFake> {
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
    if (plural === 'opportunities' && r.stage !== undefined && !fake.stages.some((st) => st.value === String(r.stage))) return `Invalid value for stage: ${String(r.stage)}`;
    if ((plural === 'noteTargets' || plural === 'taskTargets') && ![r.personId, r.opportunityId, r.companyId].some(Boolean)) return 'A target needs a record';
    return undefined;
  }

  /**
   * Lists live rows; a filter naming `deletedAt` lists soft-deleted ones too, as Twenty's query
   * parser does (`withDeleted`). Filters: `updatedAt[gte|gt]:"iso"`, `deletedAt[gte]:"iso"`, `deletedAt[is]:NOT_NULL`.
   */
  function list(plural: Plural, q: URLSearchParams): Answer {
    const f = q.get('filter');
    let rows = [...tables[plural].values()].filter((r) => !r.deletedAt || Boolean(f?.startsWith('deletedAt')));
    if (f) {
      const m = f.match(/^(updatedAt|deletedAt)\[(gte|gt)\]:"?([^"]+)"?$/);
      const notNull = f === 'deletedAt[is]:NOT_NULL';
      if (!m && !notNull) return fail(400, `Unsupported filter ${f}`);
      if (notNull) rows = rows.filter((r) => r.deletedAt);
      else {
        const [, field, op, value] = m!;
        const at = Date.parse(value!);
        rows = rows.filter((r) => {
          const v = r[field as 'updatedAt' | 'deletedAt'];
          return v !== null && (op === 'gte' ? Date.parse(v) >= at : Date.parse(v) > at);
        });
      }
    }
    const by = q.get('order_by')?.startsWith('deletedAt') ? 'deletedAt' : 'updatedAt';
    rows.sort((a, b) => String(a[by]).localeCompare(String(b[by])) || a.id.localeCompare(b.id));
    const limit = Math.min(Number(q.get('limit') ?? 60), 200);
    const after = q.get('starting_after');
    const start = after ? Number(Buffer.from(after, 'base64url').toString()) : 0;
    const page = rows.slice(start, start + limit);
    const end = start + page.length;
    return { status: 200, body: { data: { [plural]: page }, pageInfo: { hasNextPage: end < rows.length, startCursor: Buffer.from(String(start)).toString('base64url'), endCursor: Buffer.from(String(end)).toString('base64url') }, totalCount: rows.length } };
  }

  /** Object metadata with GraphQL edges flattened, as the REST metadata controller answers. */
  function objectsMeta(withFields: boolean) {
    const stageField = { id: 'f-stage', type: 'SELECT', name: 'stage', label: 'Stage', isCustom: false, isActive: true, options: fake.stages };
    const nameField = { id: 'f-name', type: 'TEXT', name: 'name', label: 'Name', isCustom: false, isActive: true, options: null };
    return [
      { id: 'o-person', nameSingular: 'person', namePlural: 'people', ...(withFields ? { fields: [nameField] } : {}) },
      { id: 'o-opportunity', nameSingular: 'opportunity', namePlural: 'opportunities', ...(withFields ? { fields: [nameField, stageField] } : {}) },
    ];
  }

  function handle(ctx: Ctx): Answer {
    if (ctx.headers.authorization !== `Bearer ${token}`) return fail(401, 'Token invalid.', 'UNAUTHENTICATED');
    let m: RegExpMatchArray | null;
    if (ctx.path === '/rest/metadata/objects' && ctx.method === 'GET') {
      return { status: 200, body: { data: { objects: objectsMeta((o.metadata ?? 'inline') === 'inline') }, pageInfo: { hasNextPage: false, startCursor: null, endCursor: null } } };
    }
    if (ctx.path === '/metadata' && ctx.method === 'POST') {
      const query = String((ctx.body as { query?: unknown } | undefined)?.query ?? '');
      // Only the one query shape the client sends: objects with their fields' options.
      if (!/objects\s*\(/.test(query) || !/options/.test(query)) return { status: 200, body: { errors: [{ message: 'Unsupported query in this fake' }] } };
      const edges = objectsMeta(true).map((obj) => ({ node: { nameSingular: obj.nameSingular, fields: { edges: obj.fields!.map((f) => ({ node: { name: f.name, type: f.type, options: f.options } })) } } }));
      return { status: 200, body: { data: { objects: { edges } } } };
    }
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
  const fake: TwentyFake = Object.assign(base, { token, tables, stages: o.stages ?? DEFAULT_STAGES.map((x) => ({ ...x })), creates: 0, setRemote: (plural: Plural, id: string, patch: Record<string, unknown>) => write(plural, { ...patch, id }),
    softDelete: (plural: Plural, id: string) => Object.assign(tables[plural].get(id)!, { deletedAt: stamp() }),
  });
  return fake;
}
