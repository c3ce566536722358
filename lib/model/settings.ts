import { z } from 'zod';

export const PrivacyLevel = z.enum(['metadata', 'subject', 'snippet', 'body']);
export type PrivacyLevel = z.infer<typeof PrivacyLevel>;

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

export const Settings = z.object({
  selfEmails: z.array(z.string()).default([]),
  internalDomains: z.array(z.string()).default([]),
  neverLogEmails: z.array(z.string()).default([]),
  neverLogDomains: z.array(z.string()).default([]),
  privacy: PrivacyLevel.default('snippet'),
  /** The user saw exactly what a log stores before the first one. */
  previewAcknowledged: z.boolean().default(false),
  onboarded: z.boolean().default(false),
  reminders: z
    .object({
      noReplyBusinessDays: z.number().int().min(1).max(60).default(3),
      reEngageDays: z.number().int().min(7).max(730).default(90),
      quietHours: z.object({ start: HHMM, end: HHMM }).nullable().default({ start: '20:00', end: '08:00' }),
      /** 0 = Sunday … 6 = Saturday. */
      workingDays: z.array(z.number().int().min(0).max(6)).default([1, 2, 3, 4, 5]),
      /** IANA zone for business-day math; empty means the browser's. */
      timeZone: z.string().max(64).default(''),
      enabled: z
        .object({
          noReply: z.boolean().default(true),
          staleDeal: z.boolean().default(true),
          overdueNextStep: z.boolean().default(true),
          reEngage: z.boolean().default(true),
          missingNextStep: z.boolean().default(true),
        })
        .prefault({}),
    })
    .prefault({}),
  defaultCurrency: z.string().regex(/^[A-Z]{3}$/).default('USD'),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = Settings.parse({});
