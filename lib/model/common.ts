import { z } from 'zod';

/** Local primary keys are UUIDs made in the browser, so records exist before any CRM knows them. */
export const Id = z.string().min(1).max(64);
/** Times are epoch milliseconds: they index and compare cheaply in IndexedDB. */
export const Millis = z.number().int().nonnegative();

// A pragmatic address check: one @, a dotted domain, no spaces or angle brackets.
// RFC 5322 allows more, but nothing a rep would ever log.
const EMAIL_RE = /^[^\s@<>(),;:"\[\]\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** Trims and lower-cases before checking, so every stored address has one spelling. */
export const Email = z
  .string()
  .max(254)
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().regex(EMAIL_RE, 'not an email address'));

export function isEmail(s: string): boolean {
  return EMAIL_RE.test(s.trim().toLowerCase());
}

/**
 * A page to reopen later (a thread, an event). Only http(s): a backup file or a CRM could
 * otherwise plant a javascript:, data: or file: address that the panel would open in a tab.
 */
export const WebUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const Domain = z
  .string()
  .max(253)
  .transform((s) => s.trim().toLowerCase().replace(/^www\./, ''))
  .pipe(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'not a domain'));

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export const ProviderId = z.enum(['hubspot', 'pipedrive', 'twenty']);
export type ProviderId = z.infer<typeof ProviderId>;

/** Remote ids per CRM, stored as soon as a push learns them (the idempotency anchor). */
export const RemoteIds = z.record(z.string(), z.string()).default({});

export const SiteId = z.enum(['gmail', 'outlook', 'google-calendar', 'outlook-calendar']);
export type SiteId = z.infer<typeof SiteId>;

/** Soft delete: a tombstone keeps the id so sync can tell "deleted" from "never seen". */
export const Tombstone = { deletedAt: Millis.optional() };
