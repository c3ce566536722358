import { db } from '@/lib/db';
import type { StoredCredential } from '@/lib/db';
import { AppError } from '@/lib/errors';
import type { ProviderId } from '@/lib/model';
import { realClock } from './clock';
import { runSync, type RunReport } from './engine';
import { withWebLock } from './lock';
import { resolveConflict } from './merge';
import { providerFactory } from './registry';
import { CONNECTED_KEY } from './status';
import { getStatus, keys, listByPrefix, loadRecord, type FailureRecord } from './store';
import type { Clock, CrmProvider, SyncKind } from './types';

/** Background-only: the one place that reads stored credentials. */

export interface ConnectInput {
  providerId: ProviderId;
  kind: 'token' | 'oauth';
  secret: string;
  baseUrl?: string;
}

export function checkBaseUrl(providerId: ProviderId, baseUrl?: string): string | undefined {
  const f = providerFactory(providerId);
  if (!baseUrl) {
    if (f.needsBaseUrl) throw new AppError('bad_request', `${f.label} needs the address of your workspace.`);
    return undefined;
  }
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new AppError('bad_request', 'That address is not a URL.');
  }
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost';
  // Tokens travel only over TLS, except to this machine (a local Twenty or a test server).
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) throw new AppError('bad_request', 'Use an https:// address.');
  return u.origin + u.pathname.replace(/\/+$/, '');
}

function providerOf(c: Pick<StoredCredential, 'providerId' | 'kind' | 'secret' | 'baseUrl'>, clock: Clock = realClock): CrmProvider {
  const id = c.providerId as ProviderId;
  return providerFactory(id).create({ providerId: id, kind: c.kind, secret: c.secret, baseUrl: c.baseUrl }, { clock });
}

export async function testConnection(input: ConnectInput): Promise<{ accountName: string }> {
  const baseUrl = checkBaseUrl(input.providerId, input.baseUrl);
  try {
    return await providerOf({ ...input, baseUrl }).testConnection();
  } catch (e) {
    throw new AppError('provider_error', `Could not reach ${providerFactory(input.providerId).label}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Tests, then stores. One CRM at a time: connecting another replaces the first. */
export async function connect(input: ConnectInput, now = Date.now()): Promise<{ accountName: string }> {
  const { accountName } = await testConnection(input);
  const baseUrl = checkBaseUrl(input.providerId, input.baseUrl);
  await db.transaction('rw', db.credentials, db.syncState, async () => {
    for (const old of await db.credentials.toArray()) if (old.providerId !== input.providerId) await forget(old.providerId);
    await db.credentials.put({ providerId: input.providerId, kind: input.kind, secret: input.secret, baseUrl, accountName, connectedAt: now });
    // What pages may know: which CRM, never the token.
    await db.syncState.put({ key: CONNECTED_KEY, value: { providerId: input.providerId, accountName } });
  });
  return { accountName };
}

async function forget(pid: string): Promise<void> {
  await db.credentials.delete(pid);
  // Progress markers belong to that connection; remote ids stay on records in case it comes back.
  for (const prefix of [`cursor:${pid}:`, `fail:${pid}:`, `inflight:${pid}:`]) await db.syncState.where('key').startsWith(prefix).delete();
  await db.syncState.bulkDelete([keys.status(pid), keys.initial(pid), keys.prepared(pid), CONNECTED_KEY]);
}

export async function disconnect(): Promise<void> {
  await db.transaction('rw', db.credentials, db.syncState, async () => {
    for (const c of await db.credentials.toArray()) await forget(c.providerId);
  });
}

let running: Promise<RunReport | undefined> | undefined;
let again = false;

/**
 * Runs a sync now unless one is under way: then it joins that one, which runs once more when it
 * ends, because the run read the outbox before this caller's change (a capture made mid-run would
 * otherwise wait for the 5-minute alarm). Nothing happens without a connection.
 */
export function syncNow(): Promise<RunReport | undefined> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      let report: RunReport | undefined;
      do {
        again = false;
        const cred = await db.credentials.toCollection().first();
        if (!cred) return undefined;
        report = await withWebLock(() => runSync({ provider: providerOf(cred) }));
      } while (again);
      return report;
    } finally {
      running = undefined;
    }
  })();
  return running;
}

export interface FailureView {
  entity: SyncKind;
  entityId: string;
  label: string;
  message: string;
  at: number;
}

export interface ConflictView {
  id: number;
  entity: SyncKind;
  entityId: string;
  label: string;
  field: string;
  local: string;
  remote: string;
}

async function labelOf(kind: SyncKind, id: string): Promise<string> {
  const r = await loadRecord(kind, id);
  if (!r) return `${kind} ${id.slice(0, 8)}`;
  switch (r.kind) {
    case 'contact':
      return r.value.name ? `${r.value.name} <${r.value.emails[0]}>` : r.value.emails[0]!;
    case 'company':
      return r.value.name || r.value.domain;
    case 'deal':
      return r.value.name;
    case 'task':
      return r.value.title;
    case 'activity':
      return r.value.subject || r.value.kind;
  }
}

const show = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 300);

export async function overview() {
  const cred = await db.credentials.toCollection().first();
  const pid = cred?.providerId;
  const status = pid ? await getStatus(pid) : undefined;
  const failures: FailureView[] = [];
  if (pid) {
    for (const f of await listByPrefix<FailureRecord>(keys.failurePrefix(pid))) failures.push({ entity: f.kind, entityId: f.entityId, label: await labelOf(f.kind, f.entityId), message: f.message, at: f.at });
  }
  const conflicts: ConflictView[] = [];
  for (const c of await db.conflicts.filter((c) => !c.resolvedAt).limit(200).toArray()) {
    conflicts.push({ id: c.id!, entity: c.entity, entityId: c.entityId, label: await labelOf(c.entity, c.entityId), field: c.field === '_deleted' ? 'deleted in the CRM' : c.field, local: show(c.local), remote: show(c.remote) });
  }
  return {
    connection: cred ? { providerId: cred.providerId as ProviderId, accountName: cred.accountName ?? '', baseUrl: cred.baseUrl, connectedAt: cred.connectedAt } : null,
    queue: await db.outbox.count(),
    running: status?.running ?? false,
    lastRunAt: status?.lastRunAt,
    lastSuccessAt: status?.lastSuccessAt,
    lastError: status?.lastError,
    pushed: status?.pushed ?? 0,
    pulled: status?.pulled ?? 0,
    initial: status?.initial,
    progress: status?.progress,
    failures,
    conflicts,
  };
}

/** The retry button: forget the refusal so the next run sends the record again. */
export async function retryFailed(entity?: SyncKind, entityId?: string): Promise<number> {
  const cred = await db.credentials.toCollection().first();
  if (!cred) return 0;
  const pid = cred.providerId;
  const all = await listByPrefix<FailureRecord>(keys.failurePrefix(pid));
  const chosen = all.filter((f) => !entity || (f.kind === entity && f.entityId === entityId));
  await db.syncState.bulkDelete(chosen.map((f) => keys.failure(pid, f.kind, f.entityId)));
  return chosen.length;
}

export { resolveConflict };
