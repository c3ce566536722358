import { z } from 'zod';

const Id = z.number().int();

export const PdEnvelope = z.object({
  success: z.boolean(),
  error: z.string().optional(),
  error_info: z.string().optional(),
  code: z.string().optional(),
});

export const PdPerson = z.object({
  id: Id,
  name: z.string().nullable().optional(),
  emails: z.array(z.object({ value: z.string(), primary: z.boolean().optional() })).nullable().optional(),
  phones: z.array(z.object({ value: z.string(), primary: z.boolean().optional() })).nullable().optional(),
  org_id: Id.nullable().optional(),
  update_time: z.string().nullable().optional(),
  is_deleted: z.boolean().optional(),
});

export const PdOrg = z.object({ id: Id, name: z.string().nullable().optional(), update_time: z.string().nullable().optional(), is_deleted: z.boolean().optional() });

export const PdDeal = z.object({
  id: Id,
  title: z.string().nullable().optional(),
  value: z.number().nullable().optional(),
  currency: z.string().nullable().optional(),
  stage_id: Id.nullable().optional(),
  pipeline_id: Id.nullable().optional(),
  person_id: Id.nullable().optional(),
  org_id: Id.nullable().optional(),
  status: z.string().nullable().optional(),
  expected_close_date: z.string().nullable().optional(),
  add_time: z.string().nullable().optional(),
  update_time: z.string().nullable().optional(),
  is_deleted: z.boolean().optional(),
});

export const PdActivity = z.object({ id: Id, subject: z.string().nullable().optional(), note: z.string().nullable().optional(), update_time: z.string().nullable().optional() });
export const PdNote = z.object({ id: Id, content: z.string().nullable().optional() });

export const one = <T extends z.ZodType>(item: T) => PdEnvelope.extend({ data: item });
export const list = <T extends z.ZodType>(item: T) =>
  PdEnvelope.extend({ data: z.array(item).nullable().transform((x) => x ?? []), additional_data: z.object({ next_cursor: z.string().nullable().optional() }).loose().nullable().optional() });

export const PdSearch = PdEnvelope.extend({
  data: z.object({ items: z.array(z.object({ item: z.object({ id: Id, emails: z.array(z.string()).optional(), name: z.string().optional() }).loose() })) }).nullable(),
});

export const PdNotes = PdEnvelope.extend({ data: z.array(PdNote).nullable().transform((x) => x ?? []) });
export const PdPipelines = list(z.object({ id: Id, name: z.string() }));
export const PdStages = list(z.object({ id: Id, name: z.string(), order_nr: z.number(), pipeline_id: Id, deal_probability: z.number().nullable().optional() }));
export const PdMe = PdEnvelope.extend({ data: z.object({ name: z.string().optional(), company_name: z.string().optional(), company_domain: z.string().optional() }).loose() });

/**
 * v1 `/recents`: every change since a time, deleted items included (the v2 lists leave deleted
 * persons and organizations out). A deleted person or organization has `active_flag: false`.
 */
export const PdRecents = PdEnvelope.extend({
  data: z
    .array(z.object({ item: z.string(), id: Id, data: z.object({ active_flag: z.boolean().optional(), update_time: z.string().nullable().optional() }).loose().nullable().optional() }))
    .nullable()
    .transform((x) => x ?? []),
  additional_data: z.object({ pagination: z.object({ more_items_in_collection: z.boolean().optional() }).loose().optional() }).loose().nullable().optional(),
});
