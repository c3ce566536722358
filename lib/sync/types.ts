import type { Activity, Company, Contact, Deal, ProviderId, Task } from '@/lib/model';

/** What the engine moves, in dependency order: a parent is always pushed before its children. */
export const SYNC_ORDER = ['company', 'contact', 'deal', 'activity', 'task'] as const;
export type SyncKind = (typeof SYNC_ORDER)[number];

export type LocalRecord =
  | { kind: 'company'; value: Company }
  | { kind: 'contact'; value: Contact }
  | { kind: 'deal'; value: Deal }
  | { kind: 'activity'; value: Activity }
  | { kind: 'task'; value: Task };

/** Remote ids of the records this one points at, resolved by the engine before a push. */
export interface RemoteLinks {
  companyId?: string;
  contactIds: string[];
  dealId?: string;
}

/** Where a deal sits in the CRM's own pipeline; stage ids stay opaque strings. */
export interface RemoteStage {
  pipelineId?: string;
  stageId?: string;
  outcome: 'open' | 'won' | 'lost';
}

export interface PushItem {
  localId: string;
  op: 'upsert' | 'delete';
  remoteId?: string;
  record: LocalRecord;
  links: RemoteLinks;
  stage?: RemoteStage;
  /** Stable per record: the same key on every retry, so a vendor-side lookup can find an earlier attempt. */
  key: string;
  /**
   * A previous attempt may have reached the CRM without us hearing back (worker killed,
   * timeout). Providers without an upsert must look before they create.
   */
  resumed: boolean;
  /** When the first attempt started; lets a provider bound its look-before-create search. */
  attemptStartedAt: number;
}

export interface CrmError {
  httpStatus: number;
  code?: string;
  message: string;
}

export interface PushResult {
  localId: string;
  /** ok: done. invalid: the CRM refused the data (never retried blindly). retry: transient, try later. */
  status: 'ok' | 'invalid' | 'retry';
  /** Set as soon as known, even with `retry` (e.g. created but an association failed). */
  remoteId?: string;
  error?: CrmError;
}

export interface PushHooks {
  /**
   * Items that now exist in the CRM, with their ids, while the rest of their push (e.g. the
   * association requests) is still to come: the engine stores the ids before the push settles.
   */
  saved?(items: { localId: string; remoteId: string }[]): void;
}

/** A remote record mapped to local field names; only fields the provider maps are present. */
export interface RemoteRecord {
  kind: SyncKind;
  remoteId: string;
  updatedAt: number;
  deleted?: boolean;
  fields: Record<string, unknown>;
  links?: { companyId?: string; contactIds?: string[]; dealId?: string };
  stage?: { pipelineId: string; stageId: string };
}

export interface PullPage {
  records: RemoteRecord[];
  /** Opaque page token for the same watermark; null when this watermark is exhausted. */
  next: string | null;
}

export interface RemotePipeline {
  id: string;
  label: string;
  stages: { id: string; label: string; order: number; outcome?: 'open' | 'won' | 'lost'; probability?: number }[];
}

export interface CrmProvider {
  readonly id: ProviderId;
  /** Items per push call for a kind; the engine never sends more. */
  batchMax(kind: SyncKind): number;
  /** Batches of one kind the engine may have in flight at once (default 1). */
  readonly concurrency?: number;
  /** Kinds this provider can pull. */
  readonly pullKinds: readonly SyncKind[];
  /** One-time, idempotent setup (e.g. custom properties). */
  prepare?(signal?: AbortSignal): Promise<void>;
  testConnection(signal?: AbortSignal): Promise<{ accountName: string }>;
  /** All items share kind and op. Returns one result per item, in any order. */
  push(items: PushItem[], signal?: AbortSignal, hooks?: PushHooks): Promise<PushResult[]>;
  /** Resolves when none of this provider's requests is on the wire; local bookkeeping waits for it. */
  quiet?(): Promise<void>;
  /** Records of `kind` changed at or after `since` (epoch ms), one page at a time. */
  pull(kind: SyncKind, since: number, page: string | null, signal?: AbortSignal): Promise<PullPage>;
  listPipelines(signal?: AbortSignal): Promise<RemotePipeline[]>;
}

export interface Connection {
  providerId: ProviderId;
  kind: 'token' | 'oauth';
  secret: string;
  baseUrl?: string;
}

/** Time, injectable so tests run rate limits and backoffs fast. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export interface ProviderOptions {
  clock: Clock;
  fetch?: typeof fetch;
  /** Overrides the documented limits (tests scale windows down). */
  limits?: Partial<Record<string, { tokens: number; windowMs: number }>>;
  timeoutMs?: number;
  maxAttempts?: number;
}

export interface ProviderFactory {
  id: ProviderId;
  label: string;
  defaultBaseUrl: string;
  /** Origins for `permissions.request`; `{base}` is replaced by the connection's base URL origin. */
  hostPermissions(baseUrl: string): string[];
  needsBaseUrl: boolean;
  create(conn: Connection, opts: ProviderOptions): CrmProvider;
}
