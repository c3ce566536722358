import { db } from '@/lib/db';
import type { LocalRecord, SyncKind } from './types';

/** Everything the engine must remember lives here, in IndexedDB: the worker can die at any await. */

export const TABLE_OF = {
  company: 'companies',
  contact: 'contacts',
  deal: 'deals',
  activity: 'activities',
  task: 'tasks',
} as const satisfies Record<SyncKind, string>;

export function tableOf(kind: SyncKind) {
  return db.table(TABLE_OF[kind]);
}

export async function loadRecord(kind: SyncKind, id: string): Promise<LocalRecord | undefined> {
  const raw = (await tableOf(kind).get(id)) as (Record<string, unknown> & { terms?: unknown }) | undefined;
  if (!raw) return undefined;
  const { terms: _t, ...value } = raw;
  return { kind, value } as LocalRecord;
}

const CURSOR = 'cursor:';

export const keys = {
  failure: (pid: string, kind: SyncKind, id: string) => `fail:${pid}:${kind}:${id}`,
  failurePrefix: (pid: string) => `fail:${pid}:`,
  cursor: (pid: string, kind: SyncKind) => `${CURSOR}${pid}:${kind}`,
  status: (pid: string) => `status:${pid}`,
  initial: (pid: string) => `initial:${pid}`,
  prepared: (pid: string) => `prepared:${pid}`,
  lock: 'lock:sync',
};

export interface FailureRecord {
  kind: SyncKind;
  entityId: string;
  message: string;
  httpStatus: number;
  /** The outbox seq it failed at: a later local edit (higher seq) retries it. */
  seq: number;
  at: number;
}

export interface PullCursor {
  /** Watermark: the CRM's modified-time we have fully merged up to (inclusive re-reads are harmless). */
  since: number;
  page: string | null;
  /** Highest modified-time seen on the pages of the current watermark. */
  maxSeen: number;
}

export interface SyncStatusRecord {
  lastRunAt?: number;
  lastSuccessAt?: number;
  lastError?: string;
  running?: boolean;
  pushed: number;
  pulled: number;
  /** First sync: all local records queued at connect, and how many are done. */
  initial?: { total: number; done: boolean };
  progress?: { done: number; total: number };
}

export async function getKV<T>(key: string): Promise<T | undefined> {
  return (await db.syncState.get(key))?.value as T | undefined;
}

/**
 * Every provider's next pull starts over from the beginning (merging by the id map, so nothing
 * doubles). Runs in the caller's transaction when it has `syncState` in scope.
 */
export async function forgetPullWatermarks(): Promise<void> {
  await db.syncState.where('key').startsWith(CURSOR).delete();
}

export async function setKV(key: string, value: unknown): Promise<void> {
  await db.syncState.put({ key, value });
}

export async function listByPrefix<T>(prefix: string): Promise<T[]> {
  return (await db.syncState.where('key').startsWith(prefix).toArray()).map((r) => r.value as T);
}

export async function getStatus(pid: string): Promise<SyncStatusRecord> {
  return (await getKV<SyncStatusRecord>(keys.status(pid))) ?? { pushed: 0, pulled: 0 };
}

export async function patchStatus(pid: string, patch: Partial<SyncStatusRecord>): Promise<void> {
  await db.transaction('rw', db.syncState, async () => {
    await setKV(keys.status(pid), { ...(await getStatus(pid)), ...patch });
  });
}

/**
 * Records a remote id on the record and in the map without touching updatedAt or the outbox:
 * the id comes from the CRM, so writing it must not queue a push of its own.
 */
export async function writeRemoteId(pid: string, kind: SyncKind, localId: string, remoteId: string, remoteUpdatedAt?: number): Promise<void> {
  const t = tableOf(kind);
  await t.where('id').equals(localId).modify((r: { remoteIds?: Record<string, string> }) => {
    r.remoteIds = { ...(r.remoteIds ?? {}), [pid]: remoteId };
  });
  const prev = await db.remoteMap.where('[providerId+kind+localId]').equals([pid, kind, localId]).first();
  if (prev && prev.remoteId !== remoteId) await db.remoteMap.delete([pid, kind, prev.remoteId]);
  await db.remoteMap.put({ providerId: pid, kind, localId, remoteId, remoteUpdatedAt: remoteUpdatedAt ?? prev?.remoteUpdatedAt });
}

/**
 * The bulk form for push results: one read and one write per table for a whole batch.
 * `previous` is the id the record carried before, so a replaced id leaves no stale map row.
 */
export async function writeRemoteIds(pid: string, kind: SyncKind, pairs: { localId: string; remoteId: string; previous?: string }[]): Promise<void> {
  const t = tableOf(kind);
  const recs = (await t.bulkGet(pairs.map((p) => p.localId))) as ({ id: string; remoteIds?: Record<string, string> } | undefined)[];
  const updated = [];
  for (const [n, r] of recs.entries()) if (r) updated.push({ ...r, remoteIds: { ...(r.remoteIds ?? {}), [pid]: pairs[n]!.remoteId } });
  await t.bulkPut(updated);
  const stale = pairs.filter((p) => p.previous && p.previous !== p.remoteId);
  if (stale.length) await db.remoteMap.bulkDelete(stale.map((p) => [pid, kind, p.previous!] as [string, string, string]));
  await db.remoteMap.bulkPut(pairs.map((p) => ({ providerId: pid, kind, localId: p.localId, remoteId: p.remoteId })));
}

export async function localIdOf(pid: string, kind: SyncKind, remoteId: string): Promise<string | undefined> {
  return (await db.remoteMap.get([pid, kind, remoteId]))?.localId;
}

export async function remoteIdOf(pid: string, kind: SyncKind, localId: string): Promise<string | undefined> {
  const r = (await tableOf(kind).get(localId)) as { remoteIds?: Record<string, string> } | undefined;
  return r?.remoteIds?.[pid];
}
