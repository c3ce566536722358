import { z } from 'zod';
import { Email, Millis, SiteId } from './common';
import { Role } from './activity';

export const PageView = z.enum(['thread', 'compose', 'event', 'list']);
export type PageView = z.infer<typeof PageView>;

export const Person = z.object({
  email: Email,
  name: z.string().max(200).optional(),
  role: Role,
  self: z.boolean().optional(),
});
export type Person = z.infer<typeof Person>;

export const PageMessage = z.object({
  id: z.string().min(1).max(200),
  from: Person.optional(),
  to: z.array(Person).max(500).default([]),
  date: Millis.optional(),
  /** Only read when the privacy level allows; never a source of addresses. */
  snippet: z.string().max(500).optional(),
  body: z.string().max(100_000).optional(),
});
export type PageMessage = z.infer<typeof PageMessage>;

/** What a content script detected on its page. Untrusted: the background re-parses it. */
export const PageContext = z.object({
  site: SiteId,
  view: PageView,
  key: z.string().min(1).max(300),
  url: z.string().url().max(4000),
  subject: z.string().max(1000).optional(),
  people: z.array(Person).max(500),
  messages: z.array(PageMessage).max(500).default([]),
  start: Millis.optional(),
  end: Millis.optional(),
  /** False when the site's toolbar anchors were missing: capture still works from the panel. */
  inPageUi: z.boolean().optional(),
});
export type PageContext = z.infer<typeof PageContext>;
