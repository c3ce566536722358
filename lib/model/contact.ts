import { z } from 'zod';
import { Email, Id, Millis, RemoteIds, SiteId, Tombstone, WebUrl } from './common';

export const LifecycleStage = z.enum([
  'subscriber',
  'lead',
  'mql',
  'sql',
  'opportunity',
  'customer',
  'evangelist',
  'other',
]);
export type LifecycleStage = z.infer<typeof LifecycleStage>;

export const ContactStatus = z.enum(['new', 'active', 'nurture', 'unqualified', 'archived']);
export type ContactStatus = z.infer<typeof ContactStatus>;

/** How a record entered Threadline, and the marketing channel it came from (for revenue by source). */
export const Source = z.object({
  origin: z.enum(['capture', 'manual', 'import', 'sync']),
  site: SiteId.optional(),
  leadSource: z.string().max(80).optional(),
});
export type Source = z.infer<typeof Source>;

/**
 * An email as the no-reply rule needs it, kept on the contact it concerns (schema v4). Derived
 * from the activities by the store's writers, never edited by hand.
 */
export const EmailRef = z.object({
  id: Id,
  occurredAt: Millis,
  subject: z.string().max(1000).optional(),
  sourceUrl: WebUrl.optional(),
  dealId: Id.optional(),
});
export type EmailRef = z.infer<typeof EmailRef>;

export const Contact = z.object({
  id: Id,
  emails: z.array(Email).min(1).max(20),
  name: z.string().max(200).optional(),
  companyId: Id.optional(),
  title: z.string().max(200).optional(),
  phone: z.string().max(60).optional(),
  lifecycleStage: LifecycleStage.optional(),
  status: ContactStatus.default('new'),
  source: Source,
  createdAt: Millis,
  updatedAt: Millis,
  lastTouchedAt: Millis.optional(),
  /** Derived (v4): the newest logged outbound email to this contact (ties: the larger id). */
  lastOutbound: EmailRef.optional(),
  /** Derived (v4): the newest logged inbound email from one of this contact's own addresses. */
  lastReply: EmailRef.pick({ id: true, occurredAt: true }).optional(),
  remoteIds: RemoteIds,
  ...Tombstone,
});
export type Contact = z.infer<typeof Contact>;

export const Company = z.object({
  id: Id,
  domain: z.string().min(3).max(253),
  name: z.string().max(200).optional(),
  createdAt: Millis,
  updatedAt: Millis,
  remoteIds: RemoteIds,
  ...Tombstone,
});
export type Company = z.infer<typeof Company>;
