import { db } from '@/lib/db';
import type { Deal, OutboxEntry, Pipeline } from '@/lib/model';
import { AuthError, TransientError } from './http';
import { markerRowKey, readMarkers, unmark, type Markers } from './inflight';
import { keys, listByPrefix, tableOf, writeRemoteIds, type FailureRecord } from './store';
import { SYNC_ORDER, type Clock, type CrmProvider, type LocalRecord, type PushItem, type PushResult, type RemoteLinks, type RemoteStage, type SyncKind } from './types';

/** All outbox rows of one record, folded into one push: the record's current state is what we send. */
export interface Group {
  kind: SyncKind;
  id: string;
  op: 'upsert' | 'delete';
  seqs: number[];
  maxSeq: number;
}

export function coalesce(rows: OutboxEntry[]): Group[] {
  const byKey = new Map<string, Group>();
  for (const r of rows) {
    const k = `${r.entity}:${r.entityId}`;
    const g = byKey.get(k);
    // Rows arrive in seq order, so the last op is the one that stands.
    if (g) {
      g.seqs.push(r.seq!);
      g.maxSeq = r.seq!;
      g.op = r.op;
    } else byKey.set(k, { kind: r.entity, id: r.entityId, op: r.op, seqs: [r.seq!], maxSeq: r.seq! });
  }
  return [...byKey.values()];
}

export interface PushReport {
  ok: number;
  invalid: number;
  retry: number;
  deferred: number;
  requests?: number;
}

export interface PushContext {
  provider: CrmProvider;
  clock: Clock;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

function linkIdsOf(rec: LocalRecord): { kind: SyncKind; id: string }[] {
  const v = rec.value as { companyId?: string; contactIds?: string[]; contactId?: string; dealId?: string };
  const out: { kind: SyncKind; id: string }[] = [];
  if (v.companyId) out.push({ kind: 'company', id: v.companyId });
  for (const c of v.contactIds ?? []) out.push({ kind: 'contact', id: c });
  if (v.contactId) out.push({ kind: 'contact', id: v.contactId });
  if (v.dealId) out.push({ kind: 'deal', id: v.dealId });
  return out;
}

/** A deal's stage in the CRM: its imported pipeline as is, or the same position in the CRM's first pipeline. */
function stageFor(deal: Deal, pid: string, pipelines: Pipeline[]): RemoteStage {
  const own = pipelines.find((p) => p.id === deal.pipelineId);
  const outcome = deal.status;
  if (own?.remoteIds[pid]) return { pipelineId: own.remoteIds[pid], stageId: deal.stageId, outcome };
  const target = pipelines.find((p) => p.remoteIds[pid]);
  if (!target) return { outcome };
  const sorted = [...target.stages].sort((a, b) => a.order - b.order);
  const byOutcome = outcome !== 'open' ? sorted.find((s) => s.outcome === outcome) : undefined;
  const idx = own ? [...own.stages].sort((a, b) => a.order - b.order).findIndex((s) => s.id === deal.stageId) : 0;
  const open = sorted.filter((s) => s.outcome === 'open');
  const st = byOutcome ?? open[Math.min(Math.max(idx, 0), open.length - 1)] ?? sorted[0];
  return { pipelineId: target.remoteIds[pid], stageId: st?.id, outcome };
}

/** One run's shared state across kinds. */
interface Run {
  ctx: PushContext;
  pid: string;
  report: PushReport;
  /** Refusals on record, by `${kind}:${id}`. */
  failures: Map<string, FailureRecord>;
  /** Records with work queued in this run, by `${kind}:${id}`: their children wait. */
  pending: Set<string>;
  /** Records refused, deferred or left to retry: their children wait too. */
  blocked: Set<string>;
  pipelines: Pipeline[];
  marks: Markers;
  /** Parents are read once per run, not once per child: 10,000 activities share 100 contacts. */
  parents: Map<string, LocalRecord | undefined>;
  total: number;
  done: number;
}

interface Entry {
  item: PushItem;
  group: Group;
  /** The in-flight row that marks it. */
  row: string;
}

/** One batch on its way: its items and what is already committed for it. */
interface Batch {
  entries: Entry[];
  /** Its own in-flight row (the items marked by this run) and that row's contents. */
  row?: { key: string; value: Record<string, number> };
  /** Remote ids committed before the batch settled (see EarlyIds). */
  written: Map<string, string>;
  /** Remote ids reported by the provider and not written yet. */
  saved?: { localId: string; remoteId: string; previous?: string }[];
  writing?: Promise<void>;
  settling: boolean;
}

type Pair = { localId: string; remoteId: string; previous?: string };

/**
 * Pushes the outbox: kinds in dependency order, each record once, batched to the provider's
 * limit. Each result is committed with its outbox rows in one transaction, so a kill between
 * two awaits loses nothing and repeats nothing the CRM cannot deduplicate.
 */
export async function pushOutbox(ctx: PushContext): Promise<PushReport> {
  const pid = ctx.provider.id;
  const report: PushReport = { ok: 0, invalid: 0, retry: 0, deferred: 0 };
  // Independent reads, issued together: every later step needs all of them.
  const [rows, failureList, pipelines, marks] = await Promise.all([db.outbox.orderBy('seq').toArray(), listByPrefix<FailureRecord>(keys.failurePrefix(pid)), db.pipelines.toArray(), readMarkers(pid)]);
  const failures = new Map(failureList.map((f) => [`${f.kind}:${f.entityId}`, f]));
  const groups = coalesce(rows).filter((g) => {
    const f = failures.get(`${g.kind}:${g.id}`);
    // A refused record waits for the user: an edit after the failure, or the retry button.
    return !f || g.maxSeq > f.seq;
  });
  const run: Run = {
    ctx,
    pid,
    report,
    failures,
    pending: new Set(groups.map((g) => `${g.kind}:${g.id}`)),
    blocked: new Set(failures.keys()),
    pipelines,
    marks,
    parents: new Map(),
    total: groups.length,
    done: 0,
  };
  // A kind starts once its parents' kinds are settled: a child needs its parent's remote id.
  for (const kind of SYNC_ORDER) {
    const ofKind = groups.filter((g) => g.kind === kind);
    if (ofKind.length) await pushKind(run, kind, ofKind);
  }
  return report;
}

/**
 * One kind: a preparer reads records a slice at a time, marks them in flight and hands out
 * batches; senders push up to `provider.concurrency` batches at once. The first batch leaves
 * after one small slice instead of after the whole kind was read and marked, and the rate
 * limiter, not this loop, decides when each request goes: with HubSpot (upsert, then
 * associations) every batch's upsert leaves in the first window while the associations queue
 * for the tokens coming back.
 */
async function pushKind(run: Run, kind: SyncKind, groups: Group[]): Promise<void> {
  const { provider, signal } = run.ctx;
  const size = Math.max(1, provider.batchMax(kind));
  const feed = new Feed<Batch>();
  const early = new EarlyIds(run, kind);
  const commits = new GroupCommit(run.pid, kind);
  const preparing = (async () => {
    try {
      await prepare(run, kind, groups, size, feed);
    } finally {
      feed.close();
    }
  })();
  const sending = drain(feed, Math.max(1, provider.concurrency ?? 1), async (batch) => {
    if (signal?.aborted) throw signal.reason;
    let results: PushResult[];
    try {
      results = await provider.push(
        batch.entries.map((c) => c.item),
        signal,
        { saved: (pairs) => early.add(batch, pairs) },
      );
    } catch (e) {
      if (e instanceof AuthError || signal?.aborted) throw e;
      if (!(e instanceof TransientError)) throw e;
      results = batch.entries.map((c) => ({ localId: c.item.localId, status: 'retry', error: { httpStatus: 0, message: e.message } }));
    }
    const outcome = await settle(run, commits, kind, batch, results);
    run.report.ok += outcome.ok;
    run.report.invalid += outcome.invalid;
    run.report.retry += outcome.retry;
    for (const id of outcome.notOk) run.blocked.add(`${kind}:${id}`);
    progress(run, batch.entries.length);
  });
  const [a, b] = await Promise.allSettled([preparing, sending]);
  await early.idle();
  if (b.status === 'rejected') throw b.reason;
  if (a.status === 'rejected') throw a.reason;
}

function progress(run: Run, n: number): void {
  run.done += n;
  run.ctx.onProgress?.(run.done, run.total);
}

/**
 * Turns the kind's records into push items and batches, and commits each slice's in-flight marks
 * before handing its batches out. Records read by key come in slices that double in size (one
 * batch first, so a request leaves early; then bigger reads, so the reads stay few); a kind read
 * whole (see `recordReader`) is one slice.
 */
async function prepare(run: Run, kind: SyncKind, groups: Group[], size: number, feed: Feed<Batch>): Promise<void> {
  const { signal } = run.ctx;
  const reader = await recordReader(kind, groups, size);
  const buffers: Record<PushItem['op'], Entry[]> = { upsert: [], delete: [] };
  // Records already in memory: one slice, so every batch is marked in one commit and handed out
  // at once, and each batch's first request takes its token before any follow-up request can.
  let step = reader.dense ? groups.length : size;
  for (let i = 0; i < groups.length && !feed.stopped; ) {
    if (signal?.aborted) throw signal.reason;
    const slice = groups.slice(i, i + step);
    i += slice.length;
    step = Math.min(step * 2, size * 32);
    const { entries, moot } = await buildItems(run, kind, slice, await reader.read(slice.map((g) => g.id)));
    for (const e of entries) buffers[e.item.op].push(e);
    const last = i >= groups.length;
    const ready: Batch[] = [];
    for (const list of Object.values(buffers)) {
      while (list.length >= size || (last && list.length)) ready.push(newBatch(run, kind, list.splice(0, size)));
    }
    await commitSlice(run, kind, ready, moot);
    if (moot.length) progress(run, moot.length);
    for (const b of ready) feed.push(b);
  }
}

/** A batch's items not marked by an earlier run get a row of their own. */
function newBatch(run: Run, kind: SyncKind, entries: Entry[]): Batch {
  const fresh = entries.filter((e) => !e.item.resumed);
  const batch: Batch = { entries, written: new Map(), settling: false };
  if (fresh.length) {
    // A new id, not a record's: a row named after a record could outlive that record's mark.
    const key = markerRowKey(run.pid, kind, crypto.randomUUID());
    batch.row = { key, value: Object.fromEntries(fresh.map((e) => [e.item.localId, e.item.attemptStartedAt])) };
    for (const e of fresh) e.row = key;
  }
  return batch;
}

/** Push items for a slice of groups; `moot` are rows with nothing to send. */
async function buildItems(run: Run, kind: SyncKind, slice: Group[], records: (LocalRecord | undefined)[]): Promise<{ entries: Entry[]; moot: Group[] }> {
  const { pid, ctx } = run;
  await loadParents(run, records);
  const entries: Entry[] = [];
  const moot: Group[] = [];
  const now = ctx.clock.now();
  for (const [n, g] of slice.entries()) {
    const rec = records[n];
    const marker = run.marks.get(`${kind}:${g.id}`);
    if (!rec) {
      // Nothing local to send: the rows are moot.
      moot.push(g);
      continue;
    }
    const op = g.op === 'delete' || rec.value.deletedAt ? 'delete' : 'upsert';
    const remoteId = rec.value.remoteIds[pid];
    if (op === 'delete' && !remoteId && marker === undefined) {
      // Never reached the CRM: nothing to delete there. (With a marker it may have: the provider looks it up.)
      moot.push(g);
      continue;
    }
    const links: RemoteLinks = { contactIds: [] };
    let wait = false;
    if (op === 'upsert') {
      for (const l of linkIdsOf(rec)) {
        const k = `${l.kind}:${l.id}`;
        const parent = run.parents.get(k);
        // A deleted parent is archived in the CRM: linking to it would fail the child.
        if (parent?.value.deletedAt) continue;
        const rid = parent?.value.remoteIds[pid];
        if (rid) {
          if (l.kind === 'contact') links.contactIds.push(rid);
          else if (l.kind === 'company') links.companyId = rid;
          else links.dealId = rid;
        } else if (parent && (run.pending.has(k) || run.blocked.has(k))) {
          // The parent is still on its way (or refused): pushing now would lose the association.
          wait = true;
        }
      }
    }
    if (wait) {
      run.report.deferred++;
      run.blocked.add(`${kind}:${g.id}`);
      continue;
    }
    entries.push({
      group: g,
      row: marker?.row ?? '',
      item: {
        localId: g.id,
        op,
        remoteId,
        record: rec,
        links,
        stage: rec.kind === 'deal' ? stageFor(rec.value, pid, run.pipelines) : undefined,
        key: `${kind}:${g.id}`,
        resumed: marker !== undefined,
        attemptStartedAt: marker?.at ?? now,
      },
    });
  }
  return { entries, moot };
}

/**
 * The parents of a slice not read yet, one bulk read per kind. Parents' kinds were settled
 * before this kind started, so what is read here holds their remote ids from this run too.
 */
async function loadParents(run: Run, records: (LocalRecord | undefined)[]): Promise<void> {
  const missing = new Map<SyncKind, Set<string>>();
  for (const rec of records) {
    if (!rec || rec.value.deletedAt) continue;
    for (const l of linkIdsOf(rec)) {
      if (run.parents.has(`${l.kind}:${l.id}`)) continue;
      const set = missing.get(l.kind) ?? new Set<string>();
      missing.set(l.kind, set.add(l.id));
    }
  }
  await Promise.all(
    [...missing].map(async ([kind, set]) => {
      const ids = [...set];
      const got = await loadRecords(kind, ids);
      for (const [n, id] of ids.entries()) run.parents.set(`${kind}:${id}`, got[n]);
    }),
  );
}

/**
 * Marks a slice's batches in flight before any of their requests leave (one row per batch),
 * and drops its moot rows, in one commit. A record marked but never sent only costs a
 * look-before-create after a crash.
 */
async function commitSlice(run: Run, kind: SyncKind, batches: Batch[], moot: Group[]): Promise<void> {
  const rows = batches.flatMap((b) => (b.row ? [b.row] : []));
  const unmarked = rowsOf(moot.map((g) => ({ id: g.id, row: run.marks.get(`${kind}:${g.id}`)?.row ?? '' })));
  if (!rows.length && !moot.length) return;
  await db.transaction('rw', db.outbox, db.syncState, async () => {
    if (moot.length) await deleteSeqs(moot.flatMap((g) => g.seqs));
    if (unmarked.size) await unmark(unmarked, new Map());
    if (rows.length) await db.syncState.bulkPut(rows);
  });
}

/** Settled ids grouped by the row that marks them (unmarked ones left out). */
function rowsOf(xs: { id: string; row: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { id, row } of xs) if (row) out.set(row, [...(out.get(row) ?? []), id]);
  return out;
}

/**
 * Deletes outbox rows by seq, a key range per run of consecutive seqs: a batch's rows are
 * usually one run, and one range delete costs IndexedDB far less than a hundred single ones.
 */
async function deleteSeqs(seqs: number[]): Promise<void> {
  const sorted = [...seqs].sort((a, b) => a - b);
  const singles: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j > i) await db.outbox.where(':id').between(sorted[i]!, sorted[j]!, true, true).delete();
    else singles.push(sorted[i]!);
    i = j + 1;
  }
  if (singles.length) await db.outbox.bulkDelete(singles);
}

/**
 * Remote ids the provider reported before its push settled (HubSpot: after the upsert, while
 * the associations wait for tokens), stored as soon as the provider's network is quiet. Writing
 * them is most of a batch's bookkeeping; done while requests are on the wire it would slow the
 * answers that hand tokens back, done at settle time it would pile up behind the last window.
 * A batch that settles first writes its ids itself, in its settling transaction.
 */
class EarlyIds {
  private readonly queue: Batch[] = [];
  private loop?: Promise<void>;
  constructor(
    private readonly run: Run,
    private readonly kind: SyncKind,
  ) {}

  add(batch: Batch, pairs: { localId: string; remoteId: string }[]): void {
    const before = new Map(batch.entries.map((e) => [e.item.localId, e.item.remoteId]));
    batch.saved = [...(batch.saved ?? []), ...pairs.map((p) => ({ ...p, previous: before.get(p.localId) }))];
    this.queue.push(batch);
    this.loop ??= this.work().finally(() => (this.loop = undefined));
  }

  /** Resolves when no write is running. */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  private async work(): Promise<void> {
    const { provider, signal } = this.run.ctx;
    while (this.queue.length) {
      await provider.quiet?.();
      if (signal?.aborted) return;
      // A few batches per commit: fewer commits, each still short enough not to hold up a settle.
      const batches = this.queue.splice(0, 8).filter((b) => !b.settling && b.saved?.length);
      if (!batches.length) continue;
      const pairs = batches.map((b) => [b, b.saved!] as const);
      for (const b of batches) b.saved = undefined;
      const writing = db
        .transaction('rw', [tableOf(this.kind), db.remoteMap], () => writeRemoteIds(this.run.pid, this.kind, pairs.flatMap(([, p]) => p)))
        .then(() => {
          for (const [b, p] of pairs) for (const x of p) b.written.set(x.localId, x.remoteId);
        });
      for (const b of batches) b.writing = writing;
      // A failed write is no loss: each batch's settling commit writes what is missing.
      await writing.catch(() => undefined);
    }
  }
}

/** Batches handed from the preparer to the senders as they become ready. */
class Feed<T> {
  private readonly items: T[] = [];
  private readonly waiting: ((x: T | undefined) => void)[] = [];
  private closed = false;
  /** A sender failed: hand out nothing more, and the preparer stops. */
  stopped = false;

  push(x: T): void {
    if (this.stopped) return;
    const w = this.waiting.shift();
    if (w) w(x);
    else this.items.push(x);
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w(undefined);
  }

  stop(): void {
    this.stopped = true;
    this.items.length = 0;
    this.close();
  }

  next(): Promise<T | undefined> {
    if (this.items.length) return Promise.resolve(this.items.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((r) => this.waiting.push(r));
  }
}

/** Runs `fn` over the feed with at most `n` at a time; waits for all before reporting the first error. */
async function drain<T>(feed: Feed<T>, n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let failed: { e: unknown } | undefined;
  const worker = async () => {
    for (let x = await feed.next(); x !== undefined; x = await feed.next()) {
      try {
        await fn(x);
      } catch (e) {
        failed ??= { e };
        feed.stop();
      }
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
  if (failed) throw failed.e;
}

type Row = Record<string, unknown> & { id: string; terms?: unknown };

/** A stored row as the provider sees it: without the search terms some tables index. */
function toLocal(kind: SyncKind, r: Row): LocalRecord {
  if (!('terms' in r)) return { kind, value: r } as unknown as LocalRecord;
  const { terms: _t, ...value } = r;
  return { kind, value } as LocalRecord;
}

async function loadRecords(kind: SyncKind, ids: string[]): Promise<(LocalRecord | undefined)[]> {
  const raw = (await tableOf(kind).bulkGet(ids)) as (Row | undefined)[];
  return raw.map((r) => r && toLocal(kind, r));
}

const PAGE = 5_000;

/**
 * How the preparer reads a kind's records. IndexedDB answers a read by key one request at a
 * time, but a key range in one: when at least half the table is queued (a first sync, an
 * import), the table is read in key-order pages up front, so the batches are ready at once
 * instead of trickling out behind thousands of single reads.
 */
async function recordReader(kind: SyncKind, groups: Group[], size: number): Promise<{ dense: boolean; read: (ids: string[]) => Promise<(LocalRecord | undefined)[]> }> {
  if (groups.length <= size * 2 || groups.length * 2 < (await tableOf(kind).count())) return { dense: false, read: (ids) => loadRecords(kind, ids) };
  const wanted = new Set(groups.map((g) => g.id));
  const found = new Map<string, LocalRecord>();
  for (let last: string | undefined; ; ) {
    const page = (await (last === undefined ? tableOf(kind).limit(PAGE) : tableOf(kind).where(':id').above(last).limit(PAGE)).toArray()) as Row[];
    for (const r of page) if (wanted.has(r.id)) found.set(r.id, toLocal(kind, r));
    if (page.length < PAGE) break;
    last = page.at(-1)!.id;
  }
  return { dense: true, read: async (ids) => ids.map((id) => found.get(id)) };
}

/** What settling one batch writes; several batches' settlements share a commit. */
interface Settlement {
  ids: Pair[];
  seqs: number[];
  dropKeys: string[];
  failures: { key: string; value: FailureRecord }[];
  unmark: Map<string, string[]>;
  owned: Map<string, Record<string, number>>;
}

/**
 * Settling commits, grouped: a settlement arriving while a commit runs waits for the next one,
 * which takes every settlement queued by then. Each batch's writes still land together or not
 * at all (a group is one transaction), and answers arriving faster than single commits finish
 * no longer queue up behind each other.
 */
class GroupCommit {
  private queue: { s: Settlement; done: () => void; fail: (e: unknown) => void }[] = [];
  private busy = false;
  constructor(
    private readonly pid: string,
    private readonly kind: SyncKind,
  ) {}

  submit(s: Settlement): Promise<void> {
    return new Promise((done, fail) => {
      this.queue.push({ s, done, fail });
      if (!this.busy) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.busy = true;
    while (this.queue.length) {
      const jobs = this.queue.splice(0);
      const all = jobs.map((j) => j.s);
      const unmarkAll = new Map<string, string[]>();
      for (const x of all) for (const [row, ids] of x.unmark) unmarkAll.set(row, [...(unmarkAll.get(row) ?? []), ...ids]);
      try {
        await db.transaction('rw', [tableOf(this.kind), db.outbox, db.syncState, db.remoteMap], async () => {
          const ids = all.flatMap((x) => x.ids);
          const seqs = all.flatMap((x) => x.seqs);
          const drop = all.flatMap((x) => x.dropKeys);
          const failures = all.flatMap((x) => x.failures);
          if (ids.length) await writeRemoteIds(this.pid, this.kind, ids);
          if (seqs.length) await deleteSeqs(seqs);
          if (drop.length) await db.syncState.bulkDelete(drop);
          if (failures.length) await db.syncState.bulkPut(failures);
          if (unmarkAll.size) await unmark(unmarkAll, new Map(all.flatMap((x) => [...x.owned])));
        });
        for (const j of jobs) j.done();
      } catch (e) {
        for (const j of jobs) j.fail(e);
      }
    }
    this.busy = false;
  }
}

/** Commits a batch's results: ids, the outbox rows they settle, marks and refusals, in one transaction. */
async function settle(run: Run, commits: GroupCommit, kind: SyncKind, batch: Batch, results: PushResult[]): Promise<{ ok: number; invalid: number; retry: number; notOk: string[] }> {
  const { pid } = run;
  const now = run.ctx.clock.now();
  batch.settling = true;
  // An early write of this batch's ids still running: let it land first, then write only the rest.
  await batch.writing?.catch(() => undefined);
  const byId = new Map(results.map((r) => [r.localId, r]));
  const out = { ok: 0, invalid: 0, retry: 0, notOk: [] as string[] };
  const s: Settlement = { ids: [], seqs: [], dropKeys: [], failures: [], unmark: new Map(), owned: new Map(batch.row ? [[batch.row.key, batch.row.value]] : []) };
  const settled: { id: string; row: string }[] = [];
  for (const { item, group, row } of batch.entries) {
    const r = byId.get(item.localId) ?? { localId: item.localId, status: 'retry' as const, error: { httpStatus: 0, message: 'The CRM gave no result for this record.' } };
    const known = batch.written.get(item.localId) ?? item.remoteId;
    if (r.remoteId && item.op === 'upsert' && r.remoteId !== known) s.ids.push({ localId: item.localId, remoteId: r.remoteId, previous: known });
    if (r.status === 'ok') {
      out.ok++;
      s.seqs.push(...group.seqs);
      settled.push({ id: item.localId, row });
      if (run.failures.has(`${kind}:${item.localId}`)) s.dropKeys.push(keys.failure(pid, kind, item.localId));
    } else if (r.status === 'invalid') {
      out.invalid++;
      out.notOk.push(item.localId);
      s.failures.push({ key: keys.failure(pid, kind, item.localId), value: { kind, entityId: item.localId, message: r.error?.message ?? 'The CRM refused this record.', httpStatus: r.error?.httpStatus ?? 400, seq: group.maxSeq, at: now } });
      // A refusal means nothing was created, unless the id came back with it.
      if (!r.remoteId) settled.push({ id: item.localId, row });
    } else {
      out.retry++;
      out.notOk.push(item.localId);
    }
  }
  s.unmark = rowsOf(settled);
  await commits.submit(s);
  return out;
}
