import { db } from '@/lib/db';
import { realClock } from './clock';
import { AuthError } from './http';
import { SyncLock } from './lock';
import { importPipelines, pullChanges } from './pull';
import { pushOutbox, type PushReport } from './push';
import { getKV, getStatus, keys, patchStatus, setKV, tableOf } from './store';
import type { MergeOutcome } from './merge';
import { SYNC_ORDER, type Clock, type CrmProvider } from './types';

const PROGRESS_EVERY_MS = 1_000;

export interface RunOptions {
  provider: CrmProvider;
  clock?: Clock;
  signal?: AbortSignal;
  lockTtlMs?: number;
  /** The caller holds the browser's sync Web Lock: a lease left by another owner is a dead worker's (see SyncLock.acquire). */
  exclusive?: boolean;
  /** Skip the pull half (tests of push alone, the benchmark). */
  pull?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface RunReport {
  ran: boolean;
  push?: PushReport;
  pull?: MergeOutcome;
  pipelines?: number;
  error?: string;
  authFailed?: boolean;
}

/**
 * First sync: every local record the CRM has not seen is queued once. Going through the outbox
 * means the first sync is as resumable, ordered and batched as every other one.
 */
export async function queueInitial(pid: string, now: number): Promise<number> {
  return db.transaction('rw', [db.contacts, db.companies, db.deals, db.activities, db.tasks, db.outbox, db.syncState], async () => {
    if (await getKV(keys.initial(pid))) return 0;
    const queued = new Set((await db.outbox.toArray()).map((r) => `${r.entity}:${r.entityId}`));
    let n = 0;
    for (const kind of SYNC_ORDER) {
      const rows: { entity: typeof kind; entityId: string; op: 'upsert'; at: number }[] = [];
      await tableOf(kind)
        .toCollection()
        .each((r: { id: string; deletedAt?: number; remoteIds?: Record<string, string> }) => {
          if (r.deletedAt || r.remoteIds?.[pid] || queued.has(`${kind}:${r.id}`)) return;
          rows.push({ entity: kind, entityId: r.id, op: 'upsert', at: now });
        });
      await db.outbox.bulkAdd(rows);
      n += rows.length;
    }
    await setKV(keys.initial(pid), { queuedAt: now, total: n });
    return n;
  });
}

/**
 * One sync run: push the outbox, import pipelines, pull. Single flight through a lease in
 * IndexedDB; a second caller returns `{ran:false}` at once. Every step commits its own progress.
 */
export async function runSync(o: RunOptions): Promise<RunReport> {
  const clock = o.clock ?? realClock;
  const pid = o.provider.id;
  const lock = new SyncLock(clock, o.lockTtlMs);
  if (!(await lock.acquire(o.exclusive))) return { ran: false };
  const report: RunReport = { ran: true };
  try {
    await patchStatus(pid, { running: true, lastRunAt: clock.now() });
    if (!(await getKV(keys.prepared(pid)))) {
      await o.provider.prepare?.(o.signal);
      await setKV(keys.prepared(pid), true);
    }
    const initial = await queueInitial(pid, clock.now());
    if (initial) await patchStatus(pid, { initial: { total: initial, done: false } });
    if (o.pull !== false) report.pipelines = await importPipelines(o.provider, o.signal);
    let lastAt = -Infinity;
    let writing = false;
    report.push = await pushOutbox({
      provider: o.provider,
      clock,
      signal: o.signal,
      onProgress: (done, total) => {
        o.onProgress?.(done, total);
        // Progress for the UI, at most once a second and one write at a time: each write is a
        // transaction on the store the push commits to, and settling batches would queue behind
        // a write per batch. The final status below clears it.
        const now = clock.now();
        if (writing || now - lastAt < PROGRESS_EVERY_MS) return;
        lastAt = now;
        writing = true;
        void patchStatus(pid, { progress: { done, total } })
          .catch(() => undefined)
          .finally(() => (writing = false));
      },
    });
    if (!(await lock.renew())) throw new Error('Another sync took over.');
    if (o.pull !== false) report.pull = await pullChanges(o.provider, clock, o.signal);
    const st = await getStatus(pid);
    await patchStatus(pid, {
      lastSuccessAt: clock.now(),
      lastError: report.push.retry ? `${report.push.retry} change(s) will be retried.` : undefined,
      pushed: st.pushed + report.push.ok,
      pulled: st.pulled + (report.pull ? report.pull.created + report.pull.updated + report.pull.deleted : 0),
      initial: st.initial ? { ...st.initial, done: (await db.outbox.count()) === 0 || st.initial.done } : undefined,
      progress: undefined,
    });
    return report;
  } catch (e) {
    if (o.signal?.aborted) throw e;
    report.error = e instanceof Error ? e.message : String(e);
    report.authFailed = e instanceof AuthError;
    await patchStatus(pid, { lastError: report.authFailed ? `The CRM refused the credentials (${report.error}). Reconnect in Settings.` : report.error });
    return report;
  } finally {
    await patchStatus(pid, { running: false }).catch(() => undefined);
    await lock.release().catch(() => undefined);
  }
}
