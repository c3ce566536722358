import { z } from 'zod';

/** Only the fields we read; zod drops the rest. HubSpot sends properties as strings or null. */
const Props = z.record(z.string(), z.string().nullable().optional());

export const HsObject = z.object({
  id: z.string(),
  properties: Props.default({}),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
  archivedAt: z.string().optional(),
  objectWriteTraceId: z.string().optional(),
});
export type HsObject = z.infer<typeof HsObject>;

export const HsBatchError = z.object({
  status: z.string().optional(),
  category: z.string().optional(),
  message: z.string(),
  context: z.record(z.string(), z.array(z.string())).optional(),
  errors: z.array(z.object({ message: z.string().optional() }).loose()).optional(),
});

/** A write answer: only what maps a result back to its input is read (and validated). */
export const HsWriteResult = z.object({
  id: z.string(),
  objectWriteTraceId: z.string().optional(),
  properties: z.object({ email: z.string().nullish(), threadline_id: z.string().nullish() }).default({}),
});

export const HsBatchResponse = z.object({
  status: z.string().optional(),
  results: z.array(HsWriteResult).default([]),
  errors: z.array(HsBatchError).optional(),
  numErrors: z.number().optional(),
});

export const HsError = z.object({
  status: z.string().optional(),
  message: z.string(),
  category: z.string().optional(),
  errorType: z.string().optional(),
  policyName: z.string().optional(),
  correlationId: z.string().optional(),
  errors: z.array(z.object({ message: z.string().optional() }).loose()).optional(),
});

export const HsPage = z.object({
  total: z.number().optional(),
  results: z.array(HsObject),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

export const HsAssocBatch = z.object({
  status: z.string().optional(),
  results: z.array(z.object({ from: z.object({ id: z.string() }), to: z.array(z.object({ toObjectId: z.union([z.string(), z.number()]) })).default([]) }).loose()).default([]),
  errors: z.array(HsBatchError).optional(),
});

export const HsPipelines = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      stages: z.array(
        z.object({
          id: z.string(),
          label: z.string(),
          displayOrder: z.number(),
          metadata: z.record(z.string(), z.string().nullable()).optional(),
        }),
      ),
    }),
  ),
});

export const HsAccount = z.object({ portalId: z.number(), uiDomain: z.string().optional(), accountType: z.string().optional() });

export const HsAssocCreate = z.object({
  status: z.string().optional(),
  results: z.array(z.unknown()).default([]),
  errors: z.array(HsBatchError).optional(),
});
