import { z } from 'zod';
import { Email, Id, Millis, RemoteIds, SiteId, Tombstone, WebUrl } from './common';

export const ActivityKind = z.enum(['email', 'meeting', 'note', 'call', 'stage_change', 'task_done']);
export type ActivityKind = z.infer<typeof ActivityKind>;

export const Role = z.enum(['from', 'to', 'cc', 'bcc', 'organizer', 'attendee']);
export type Role = z.infer<typeof Role>;

export const Participant = z.object({
  email: Email,
  name: z.string().max(200).optional(),
  role: Role,
});
export type Participant = z.infer<typeof Participant>;

export const Activity = z.object({
  id: Id,
  kind: ActivityKind,
  occurredAt: Millis,
  endAt: Millis.optional(),
  direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
  /** Kept or dropped according to the privacy level at capture time. */
  subject: z.string().max(1000).optional(),
  snippet: z.string().max(500).optional(),
  body: z.string().max(100_000).optional(),
  participants: z.array(Participant).max(500).default([]),
  contactIds: z.array(Id).max(500),
  dealId: Id.optional(),
  /**
   * Makes capture idempotent, e.g. `gmail:<threadId>:<messageId>`. Unique in the store;
   * manual notes and calls have none.
   */
  externalKey: z.string().min(1).max(300).optional(),
  /** Where it was captured, so a reminder can reopen the thread or event. */
  sourceUrl: WebUrl.optional(),
  site: SiteId.optional(),
  /** For stage changes: from and to stage ids. */
  meta: z.record(z.string(), z.string().max(500)).optional(),
  createdAt: Millis,
  remoteIds: RemoteIds,
  ...Tombstone,
});
export type Activity = z.infer<typeof Activity>;
