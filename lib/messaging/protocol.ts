import { z } from 'zod';
import { ProviderId } from '@/lib/model';
import { Email, LifecycleStage, PageContext } from '@/lib/model';

/**
 * The one message protocol: name → request and response schemas. The router parses every
 * request with these before a handler sees it; content scripts are untrusted.
 */

export const LogState = z.enum(['logged', 'queued', 'synced', 'failed']);

export const SkipReason = z.enum(['self', 'internal', 'no_reply', 'never_log', 'deleted']);

/**
 * Capture never merges on its own: a possible company or duplicate is offered to the rep,
 * who decides in the side panel.
 */
export const CaptureSuggestion = z.object({
  email: z.string(),
  contactId: z.string(),
  /** An existing company at a parent domain (eu.acme.com → acme.com): not linked automatically. */
  company: z.object({ id: z.string(), domain: z.string(), name: z.string().optional() }).optional(),
  /** Other contacts with the same name under another address: maybe the same person. */
  duplicates: z.array(z.object({ contactId: z.string(), name: z.string().optional(), email: z.string() })).max(10).default([]),
});
export type CaptureSuggestion = z.infer<typeof CaptureSuggestion>;

/** What one click did, so "did it log?" is never a question. */
export const Receipt = z.object({
  key: z.string(),
  added: z.number().int(),
  existing: z.number().int(),
  contactsCreated: z.number().int(),
  contactIds: z.array(z.string()),
  skipped: z.array(z.object({ email: z.string(), reason: SkipReason })),
  /** Activities left for the rep to attach to a deal because the contact has several open ones. */
  needsDeal: z.array(z.string()).default([]),
  suggestions: z.array(CaptureSuggestion).default([]),
  state: LogState,
});
export type Receipt = z.infer<typeof Receipt>;

export const KnownPerson = z.object({
  email: z.string(),
  contactId: z.string(),
  name: z.string().optional(),
  stage: LifecycleStage.optional(),
  dealStage: z.string().optional(),
});
export type KnownPerson = z.infer<typeof KnownPerson>;

export const CapturePreview = z.object({
  privacy: z.string(),
  activities: z.array(
    z.object({
      kind: z.string(),
      occurredAt: z.number().optional(),
      subject: z.string().optional(),
      snippet: z.string().optional(),
      body: z.string().optional(),
      participants: z.array(z.string()),
    }),
  ),
  contactsToCreate: z.array(z.string()),
  skipped: z.array(z.object({ email: z.string(), reason: z.string() })),
  /** Whether the rep already confirmed a preview once (settings.previewAcknowledged). */
  acknowledged: z.boolean().default(false),
});
export type CapturePreview = z.infer<typeof CapturePreview>;

const Ok = z.object({ ok: z.literal(true) });

// ——— CRM sync controls (owned by lib/sync; handlers in lib/sync/handlers.ts). Extension pages only. ———
const SyncOk = z.object({ ok: z.literal(true) });

const SyncKindSchema = z.enum(['company', 'contact', 'deal', 'activity', 'task']);

const ConnectRequest = z.object({
  providerId: ProviderId,
  kind: z.enum(['token', 'oauth']).default('token'),
  secret: z.string().trim().min(8).max(4000),
  baseUrl: z.string().trim().max(500).optional(),
});

export const SyncOverview = z.object({
  connection: z
    .object({
      providerId: ProviderId,
      kind: z.enum(['token', 'oauth']).optional(),
      accountName: z.string(),
      baseUrl: z.string().optional(),
      connectedAt: z.number(),
      /** Set when an OAuth sign-in could not be renewed: why, and that a new sign-in is needed. */
      needsSignIn: z.string().optional(),
    })
    .nullable(),
  queue: z.number().int(),
  running: z.boolean(),
  lastRunAt: z.number().optional(),
  lastSuccessAt: z.number().optional(),
  lastError: z.string().optional(),
  pushed: z.number().int(),
  pulled: z.number().int(),
  initial: z.object({ total: z.number().int(), done: z.boolean() }).optional(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }).optional(),
  failures: z.array(z.object({ entity: SyncKindSchema, entityId: z.string(), label: z.string(), message: z.string(), at: z.number() })),
  conflicts: z.array(z.object({ id: z.number().int(), entity: SyncKindSchema, entityId: z.string(), label: z.string(), field: z.string(), local: z.string(), remote: z.string() })),
});
export type SyncOverview = z.infer<typeof SyncOverview>;

const syncProtocol = {
  /** Options page → background: test and store a CRM token (it never comes back). */
  connectCrm: { request: ConnectRequest, response: z.object({ accountName: z.string() }) },
  /** OAuth sign-in, run by the background (consent page, code exchange, storage): no token ever reaches the page. */
  oauthConnectCrm: { request: z.object({ providerId: ProviderId, baseUrl: z.string().trim().max(500).optional() }), response: z.object({ accountName: z.string() }) },
  /** Test credentials without storing them. */
  testCrm: { request: ConnectRequest, response: z.object({ accountName: z.string() }) },
  disconnectCrm: { request: z.object({}), response: SyncOk },
  syncNow: { request: z.object({}), response: SyncOk },
  syncStatus: { request: z.object({}), response: SyncOverview },
  /** Send refused records again: one, or all when no entity is given. */
  retryFailed: { request: z.object({ entity: SyncKindSchema.optional(), entityId: z.string().max(64).optional() }), response: z.object({ retried: z.number().int() }) },
  resolveConflict: { request: z.object({ id: z.number().int(), keep: z.enum(['local', 'remote']) }), response: SyncOk },
} as const;

export const protocol = {
  /** Liveness and version, used by the e2e harness and the demo smoke check. */
  ping: { request: z.object({}), response: z.object({ version: z.string(), now: z.number() }) },
  /** A content script reports what its tab shows; null when the tab shows nothing loggable. */
  pageContext: { request: z.object({ context: PageContext.nullable() }), response: Ok },
  /** Log the sender tab's page (content script) or a given tab's page (side panel). */
  logPage: { request: z.object({ context: PageContext.optional(), tabId: z.number().int().optional() }), response: Receipt },
  /** Exactly what a log would store at the current privacy level, shown before the first log. */
  previewPage: { request: z.object({ context: PageContext.optional(), tabId: z.number().int().optional() }), response: CapturePreview },
  /** The rep confirmed the first-run preview; later logs go straight through. */
  acknowledgePreview: { request: z.object({}), response: Ok },
  /** Which of these addresses are known contacts, for the in-page chips. */
  lookupPeople: { request: z.object({ emails: z.array(Email).max(500) }), response: z.object({ people: z.array(KnownPerson) }) },
  /** The latest receipt for a page key, for the button's state after a reload. */
  receiptFor: { request: z.object({ key: z.string().min(1).max(300) }), response: Receipt.nullable() },
  /** Extension pages ask the background to re-run reconcilers after a write they made. */
  storeChanged: { request: z.object({ tables: z.array(z.enum(['tasks', 'deals', 'activities', 'contacts', 'settings', 'outbox'])).max(10) }), response: Ok },
  /**
   * Press a Threadline notification: no button = a click, 0 = Done, 1 = Snooze until tomorrow.
   * The notification listeners run the same code; extension pages only.
   */
  notificationAction: {
    request: z.object({ notificationId: z.string().min(1).max(200), buttonIndex: z.number().int().min(0).max(1).optional() }),
    response: Ok,
  },
  ...syncProtocol,
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export type Protocol = typeof protocol;
export type MessageName = keyof Protocol;
export type RequestOf<N extends MessageName> = z.input<Protocol[N]['request']>;
export type ParsedRequestOf<N extends MessageName> = z.output<Protocol[N]['request']>;
export type ResponseOf<N extends MessageName> = z.output<Protocol[N]['response']>;

export interface Envelope<N extends MessageName = MessageName> {
  /** Marks our messages so the router can ignore other extensions' traffic on the same channel. */
  tl: 1;
  name: N;
  request: RequestOf<N>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Upper bound of a serialized request. A 500-message thread with snippets fits well under it. */
export const MAX_MESSAGE_BYTES = 512 * 1024;
