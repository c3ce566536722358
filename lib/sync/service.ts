import type { Table } from 'dexie';
import { browser } from 'wxt/browser';
import { db } from '@/lib/db';
import type { StoredCredential } from '@/lib/db';
import { AppError } from '@/lib/errors';
import type { ProviderId } from '@/lib/model';
import { realClock } from './clock';
import { runSync, type RunReport } from './engine';
import { syncLockHeld, withWebLock } from './lock';
import { resolveConflict } from './merge';
import { launchOAuth, oauthConfig, oauthFetch, type Identity, type OAuthConfig, type OAuthTokens, type TokenStore } from './oauth';
import { providerFactory } from './registry';
import { CONNECTED_KEY } from './status';
import { getStatus, keys, listByPrefix, loadRecord, patchStatus, type FailureRecord } from './store';
import type { Clock, CrmProvider, SyncKind } from './types';

/** Background-only: the one place that reads stored credentials. */

/**
 * The stored row, plus what an OAuth connection keeps beside its access token (`secret`).
 * Extra fields of the same background-only IndexedDB row: no schema change needed.
 */
export type SyncCredential = StoredCredential & { refreshToken?: string; expiresAt?: number; needsSignIn?: string };
const credentials = () => db.credentials as unknown as Table<SyncCredential, string>;

/** What OAuth needs from outside; the background uses the defaults, tests pass fakes. */
export interface OAuthDeps {
  config?: (pid: ProviderId) => OAuthConfig | undefined;
  identity?: Identity;
  /** For the exchange endpoint and the CRM alike. */
  fetch?: typeof fetch;
  now?: () => number;
}

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

/** A provider for credentials as given (a token being tested is used as is). */
function providerOf(c: Pick<StoredCredential, 'providerId' | 'kind' | 'secret' | 'baseUrl'>, clock: Clock = realClock, fetcher?: typeof fetch): CrmProvider {
  const id = c.providerId as ProviderId;
  return providerFactory(id).create({ providerId: id, kind: c.kind, secret: c.secret, baseUrl: c.baseUrl }, { clock, fetch: fetcher });
}

/** The stored connection's provider: an OAuth one renews its access token as it goes. */
function connectedProvider(c: SyncCredential, oauth: OAuthDeps, clock: Clock = realClock): CrmProvider {
  if (c.kind !== 'oauth') return providerOf(c, clock, oauth.fetch);
  const id = c.providerId as ProviderId;
  return providerOf(c, clock, oauthFetch({ cfg: (oauth.config ?? oauthConfig)(id), store: tokenStore(id, c.connectedAt), label: providerFactory(id).label, fetch: oauth.fetch, now: oauth.now ?? clock.now }));
}

/**
 * Tokens of the stored connection, read and renewed in IndexedDB only. Bound to the sign-in the
 * run started with (`connectedAt`): a sign-in made while a renewal was out replaces the row, and
 * the old grant's renewal or refusal must neither overwrite nor mark the new one.
 */
function tokenStore(pid: string, connectedAt: number): TokenStore {
  const ours = async () => {
    const c = await credentials().get(pid);
    return c?.connectedAt === connectedAt ? c : undefined;
  };
  const updateOurs = (changes: Partial<SyncCredential>) =>
    db.transaction('rw', db.credentials, async () => Boolean((await ours()) && (await credentials().update(pid, changes))));
  return {
    async load() {
      const c = await ours();
      if (!c) return { accessToken: '', needsSignIn: 'The CRM was disconnected or signed in again while this sync ran.' };
      return { accessToken: c.secret, refreshToken: c.refreshToken, expiresAt: c.expiresAt, needsSignIn: c.needsSignIn };
    },
    async save(t: OAuthTokens) {
      await updateOurs({ secret: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt, needsSignIn: undefined });
    },
    async fail(message: string) {
      if (await updateOurs({ needsSignIn: message })) await patchStatus(pid, { lastError: message });
    },
  };
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
  await store({ providerId: input.providerId, kind: input.kind, secret: input.secret, baseUrl, accountName, connectedAt: now });
  return { accountName };
}

async function store(cred: SyncCredential): Promise<void> {
  await db.transaction('rw', db.credentials, db.syncState, async () => {
    for (const old of await db.credentials.toArray()) if (old.providerId !== cred.providerId) await forget(old.providerId);
    await credentials().put(cred);
    // What pages may know: which CRM, never the token.
    await db.syncState.put({ key: CONNECTED_KEY, value: { providerId: cred.providerId, accountName: cred.accountName } });
  });
}

/** Pipedrive answers OAuth calls at the company's own API origin (`api_domain`), not api.pipedrive.com. */
function oauthBaseUrl(pid: ProviderId, given: string | undefined, t: OAuthTokens): string | undefined {
  if (given || pid !== 'pipedrive' || !t.apiDomain) return given;
  try {
    const u = new URL(t.apiDomain);
    return u.protocol === 'https:' && u.hostname.endsWith('.pipedrive.com') ? u.origin : given;
  } catch {
    return given;
  }
}

/**
 * OAuth sign-in, run in the background so no page ever holds a token: the vendor's consent page
 * through `identity.launchWebAuthFlow`, the code traded through the exchange endpoint, the
 * access token tested, then access token, refresh token and expiry stored together.
 */
export async function connectOAuth(input: { providerId: ProviderId; baseUrl?: string }, deps: OAuthDeps = {}): Promise<{ accountName: string }> {
  const f = providerFactory(input.providerId);
  const cfg = (deps.config ?? oauthConfig)(input.providerId);
  if (!cfg) throw new AppError('bad_request', `This build cannot sign in to ${f.label}; use a token.`);
  const given = checkBaseUrl(input.providerId, input.baseUrl);
  const now = deps.now ?? Date.now;
  let t: OAuthTokens;
  try {
    t = await launchOAuth(cfg, deps.identity ?? (browser as unknown as { identity?: Identity }).identity, deps.fetch ?? fetch, now);
  } catch (e) {
    throw new AppError('provider_error', `${f.label} sign-in failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const baseUrl = oauthBaseUrl(input.providerId, given, t);
  let accountName: string;
  try {
    ({ accountName } = await providerOf({ providerId: input.providerId, kind: 'oauth', secret: t.accessToken, baseUrl }, realClock, deps.fetch).testConnection());
  } catch (e) {
    throw new AppError('provider_error', `Could not reach ${f.label}: ${e instanceof Error ? e.message : String(e)}`);
  }
  await store({ providerId: input.providerId, kind: 'oauth', secret: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt, baseUrl, accountName, connectedAt: now() });
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
 * otherwise wait for the 5-minute alarm). Nothing happens without a connection, nor while it
 * waits for a new sign-in (the status already says why).
 */
export function syncNow(oauth: OAuthDeps = {}): Promise<RunReport | undefined> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      let report: RunReport | undefined;
      do {
        again = false;
        const cred = await credentials().toCollection().first();
        if (!cred || cred.needsSignIn) return report;
        report = await withWebLock((exclusive) => runSync({ provider: connectedProvider(cred, oauth), exclusive }));
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
  const cred = await credentials().toCollection().first();
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
    connection: cred ? { providerId: cred.providerId as ProviderId, kind: cred.kind, accountName: cred.accountName ?? '', baseUrl: cred.baseUrl, connectedAt: cred.connectedAt, needsSignIn: cred.needsSignIn } : null,
    queue: await db.outbox.count(),
    // A worker stopped mid-run leaves `running` set; the Web Lock, where there is one, says what is true.
    running: (status?.running ?? false) && (await syncLockHeld()) !== false,
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
