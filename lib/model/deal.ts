import { z } from 'zod';
import { Id, Millis, RemoteIds, Tombstone } from './common';

/** Buyer-commitment evidence (BANT by default); pipelines may name their own kinds. */
export const EvidenceKind = z.string().min(1).max(40);
export const DEFAULT_EVIDENCE = ['budget', 'authority', 'need', 'timeline'] as const;

export const Evidence = z.object({
  text: z.string().min(1).max(2000),
  recordedAt: Millis,
});
export type Evidence = z.infer<typeof Evidence>;

export const Money = z.object({
  value: z.number().finite().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type Money = z.infer<typeof Money>;

export const NextStep = z.object({
  text: z.string().min(1).max(500),
  dueAt: Millis,
});
export type NextStep = z.infer<typeof NextStep>;

export const StageVisit = z.object({
  stageId: z.string().min(1),
  enteredAt: Millis,
  leftAt: Millis.optional(),
});
export type StageVisit = z.infer<typeof StageVisit>;

export const DealStatus = z.enum(['open', 'won', 'lost']);
export type DealStatus = z.infer<typeof DealStatus>;

export const Deal = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  pipelineId: Id,
  stageId: z.string().min(1),
  amount: Money.optional(),
  expectedCloseAt: Millis.optional(),
  contactIds: z.array(Id).max(100),
  companyId: Id.optional(),
  status: DealStatus,
  closedAt: Millis.optional(),
  closedReason: z.string().max(500).optional(),
  nextStep: NextStep.optional(),
  stageHistory: z.array(StageVisit),
  evidence: z.record(EvidenceKind, Evidence).default({}),
  leadSource: z.string().max(80).optional(),
  /** Derived (v4): the newest occurredAt of the deal's live activities, kept by the store's writers. */
  lastActivityAt: Millis.optional(),
  createdAt: Millis,
  updatedAt: Millis,
  remoteIds: RemoteIds,
  ...Tombstone,
});
export type Deal = z.infer<typeof Deal>;

export const Stage = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  order: z.number().int(),
  /** Win probability, 0..1, for the weighted forecast. */
  probability: z.number().min(0).max(1),
  /** Evidence kinds a deal must carry to enter this stage. */
  requiredEvidence: z.array(EvidenceKind).default([]),
  /** Days without activity after which a deal here is stale. */
  staleAfterDays: z.number().int().positive().max(3650).default(14),
  /** Won and lost stages close the deal. */
  outcome: z.enum(['open', 'won', 'lost']).default('open'),
});
export type Stage = z.infer<typeof Stage>;

export const Pipeline = z.object({
  id: Id,
  name: z.string().min(1).max(80),
  stages: z.array(Stage).min(1),
  isDefault: z.boolean().default(false),
  remoteIds: RemoteIds,
});
export type Pipeline = z.infer<typeof Pipeline>;
