import { db } from '@/lib/db';
import type { Deal, OutboxEntry, Pipeline } from '@/lib/model';
import { AuthError, TransientError } from './http';
import { getKV, keys, listByPrefix, loadRecord, tableOf, updateInflight, writeRemoteIds, type FailureRecord, type InflightMarkers } from './store';
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

/**
 * Pushes the outbox: kinds in dependency order, each record once, batched to the provider's
 * limit. Each result is committed with its outbox rows in one transaction, so a kill between
 * two awaits loses nothing and repeats nothing the CRM cannot deduplicate.
 */
export async function pushOutbox(ctx: PushContext): Promise<PushReport> {
  const { provider, clock, signal } = ctx;
  const pid = provider.id;
  const report: PushReport = { ok: 0, invalid: 0, retry: 0, deferred: 0 };
  const rows = await db.outbox.orderBy('seq').toArray();
  const failures = new Map((await listByPrefix<FailureRecord>(keys.failurePrefix(pid))).map((f) => [`${f.kind}:${f.entityId}`, f]));
  const groups = coalesce(rows).filter((g) => {
    const f = failures.get(`${g.kind}:${g.id}`);
    // A refused record waits for the user: an edit after the failure, or the retry button.
    return !f || g.maxSeq > f.seq;
  });
  const pending = new Set(groups.map((g) => `${g.kind}:${g.id}`));
  const blocked = new Set<string>([...failures.keys()]);
  const pipelines = await db.pipelines.toArray();
  const total = groups.length;
  let done = 0;
  // Parents are read once per run, not once per child: 10,000 activities share 100 contacts.
  const parents = new Map<string, LocalRecord | undefined>();
  const parentOf = async (kind: SyncKind, id: string) => {
    const k = `${kind}:${id}`;
    if (!parents.has(k)) parents.set(k, await loadRecord(kind, id));
    return parents.get(k);
  };

  for (const kind of SYNC_ORDER) {
    const ofKind = groups.filter((g) => g.kind === kind);
    if (!ofKind.length) continue;
    const records = await loadRecords(kind, ofKind.map((g) => g.id));
    const inflight = (await getKV<InflightMarkers>(keys.inflight(pid, kind))) ?? {};
    const items: { item: PushItem; group: Group }[] = [];
    const moot: Group[] = [];
    for (const [n, g] of ofKind.entries()) {
      const rec = records[n];
      const marker = inflight[g.id];
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
          const parent = await parentOf(l.kind, l.id);
          // A deleted parent is archived in the CRM: linking to it would fail the child.
          if (parent?.value.deletedAt) continue;
          const rid = parent?.value.remoteIds[pid];
          if (rid) {
            if (l.kind === 'contact') links.contactIds.push(rid);
            else if (l.kind === 'company') links.companyId = rid;
            else links.dealId = rid;
          } else if (parent && (pending.has(`${l.kind}:${l.id}`) || blocked.has(`${l.kind}:${l.id}`))) {
            // The parent is still on its way (or refused): pushing now would lose the association.
            wait = true;
          }
        }
      }
      if (wait) {
        report.deferred++;
        blocked.add(`${kind}:${g.id}`);
        continue;
      }
      const startedAt = marker ?? clock.now();
      items.push({
        group: g,
        item: {
          localId: g.id,
          op,
          remoteId,
          record: rec,
          links,
          stage: rec.kind === 'deal' ? stageFor(rec.value, pid, pipelines) : undefined,
          key: `${kind}:${g.id}`,
          resumed: marker !== undefined,
          attemptStartedAt: startedAt,
        },
      });
    }
    if (moot.length) {
      await db.transaction('rw', db.outbox, db.syncState, async () => {
        await db.outbox.bulkDelete(moot.flatMap((g) => g.seqs));
        await updateInflight(pid, kind, [], moot.map((g) => g.id), clock.now());
      });
      done += moot.length;
    }

    for (const op of ['upsert', 'delete'] as const) {
      const list = items.filter((x) => x.item.op === op);
      const size = Math.max(1, provider.batchMax(kind));
      const chunks: (typeof list)[] = [];
      for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
      // A few batches in flight at once: the rate limiter still meters every request, and the
      // round trips and local writes overlap instead of adding up after the window opens.
      // Marked in flight before any request leaves, in one commit for the whole kind: a commit per
      // batch would cost more than the requests. A record marked but never sent only costs a
      // look-before-create after a crash.
      await markInflight(pid, kind, list.map((c) => c.item), clock.now());
      await pool(chunks, provider.concurrency ?? 1, async (chunk) => {
        if (signal?.aborted) throw signal.reason;
        let results: PushResult[];
        try {
          results = await provider.push(
            chunk.map((c) => c.item),
            signal,
          );
        } catch (e) {
          if (e instanceof AuthError || signal?.aborted) throw e;
          if (!(e instanceof TransientError)) throw e;
          results = chunk.map((c) => ({ localId: c.item.localId, status: 'retry', error: { httpStatus: 0, message: e.message } }));
        }
        const outcome = await applyResults(pid, kind, chunk, results, clock.now(), failures);
        report.ok += outcome.ok;
        report.invalid += outcome.invalid;
        report.retry += outcome.retry;
        for (const id of outcome.notOk) blocked.add(`${kind}:${id}`);
        done += chunk.length;
        ctx.onProgress?.(done, total);
      });
    }
  }
  return report;
}

/** Runs `fn` over `xs` with at most `n` at a time; waits for all before reporting the first error. */
async function pool<T>(xs: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { e: unknown } | undefined;
  const worker = async () => {
    while (next < xs.length && !failed) {
      const x = xs[next++]!;
      try {
        await fn(x);
      } catch (e) {
        failed ??= { e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, xs.length) }, worker));
  if (failed) throw failed.e;
}

async function loadRecords(kind: SyncKind, ids: string[]): Promise<(LocalRecord | undefined)[]> {
  const raw = (await tableOf(kind).bulkGet(ids)) as ((Record<string, unknown> & { terms?: unknown }) | undefined)[];
  return raw.map((r) => {
    if (!r) return undefined;
    const { terms: _t, ...value } = r;
    return { kind, value } as LocalRecord;
  });
}

async function markInflight(pid: string, kind: SyncKind, items: PushItem[], now: number): Promise<void> {
  const fresh = items.filter((i) => !i.resumed);
  if (!fresh.length) return;
  // Written before the request: if we die waiting for the answer, the next run knows to look first.
  await db.transaction('rw', db.syncState, () => updateInflight(pid, kind, fresh.map((i) => i.localId), [], now));
}

async function applyResults(
  pid: string,
  kind: SyncKind,
  chunk: { item: PushItem; group: Group }[],
  results: PushResult[],
  now: number,
  known: Map<string, FailureRecord>,
): Promise<{ ok: number; invalid: number; retry: number; notOk: string[] }> {
  const byId = new Map(results.map((r) => [r.localId, r]));
  const out = { ok: 0, invalid: 0, retry: 0, notOk: [] as string[] };
  const ids: { localId: string; remoteId: string; previous?: string }[] = [];
  const doneSeqs: number[] = [];
  const dropKeys: string[] = [];
  const settled: string[] = [];
  const failures: { key: string; value: FailureRecord }[] = [];
  for (const { item, group } of chunk) {
    const r = byId.get(item.localId) ?? { localId: item.localId, status: 'retry' as const, error: { httpStatus: 0, message: 'The CRM gave no result for this record.' } };
    if (r.remoteId && item.op === 'upsert' && r.remoteId !== item.remoteId) ids.push({ localId: item.localId, remoteId: r.remoteId, previous: item.remoteId });
    if (r.status === 'ok') {
      out.ok++;
      doneSeqs.push(...group.seqs);
      settled.push(item.localId);
      if (known.has(`${kind}:${item.localId}`)) dropKeys.push(keys.failure(pid, kind, item.localId));
    } else if (r.status === 'invalid') {
      out.invalid++;
      out.notOk.push(item.localId);
      failures.push({ key: keys.failure(pid, kind, item.localId), value: { kind, entityId: item.localId, message: r.error?.message ?? 'The CRM refused this record.', httpStatus: r.error?.httpStatus ?? 400, seq: group.maxSeq, at: now } });
      // A refusal means nothing was created, unless the id came back with it.
      if (!r.remoteId) settled.push(item.localId);
    } else {
      out.retry++;
      out.notOk.push(item.localId);
    }
  }
  // One transaction: the ids, the outbox rows they settle and the markers go together or not at all.
  await db.transaction('rw', [tableOf(kind), db.outbox, db.syncState, db.remoteMap], async () => {
    if (ids.length) await writeRemoteIds(pid, kind, ids);
    if (doneSeqs.length) await db.outbox.bulkDelete(doneSeqs);
    if (dropKeys.length) await db.syncState.bulkDelete(dropKeys);
    if (failures.length) await db.syncState.bulkPut(failures);
    await updateInflight(pid, kind, [], settled, now);
  });
  return out;
}
