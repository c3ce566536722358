import { applyStageMove, checkStageMove, type StageMove } from '@/lib/domain/stage-gate';
import { AppError } from '@/lib/errors';
import { Deal, type NextStep } from '@/lib/model';
import { db } from '../index';
import { termsFor } from '../schema';
import { addActivities } from './activities';
import { enqueue, newId, nowOf, type WriteOptions } from './tx';

export interface NewDeal {
  name: string;
  pipelineId: string;
  stageId: string;
  contactIds: string[];
  companyId?: string;
  amount?: Deal['amount'];
  expectedCloseAt?: number;
  nextStep?: NextStep;
  leadSource?: string;
  remoteIds?: Record<string, string>;
}

export async function createDeal(input: NewDeal, o?: WriteOptions): Promise<Deal> {
  const now = nowOf(o);
  return db.transaction('rw', [db.deals, db.pipelines, db.outbox], async () => {
    const p = await db.pipelines.get(input.pipelineId);
    const stage = p?.stages.find((s) => s.id === input.stageId);
    if (!p || !stage) throw new AppError('bad_request', 'Pick a pipeline and one of its stages.');
    const deal = Deal.parse({
      ...input,
      id: newId(),
      status: stage.outcome,
      stageHistory: [{ stageId: stage.id, enteredAt: now }],
      evidence: {},
      createdAt: now,
      updatedAt: now,
      remoteIds: input.remoteIds ?? {},
    });
    await db.deals.add({ ...deal, terms: termsFor(deal.name) });
    await enqueue('deal', deal.id, 'upsert', o);
    return deal;
  });
}

export type DealPatch = Partial<Pick<Deal, 'name' | 'amount' | 'expectedCloseAt' | 'contactIds' | 'companyId' | 'nextStep' | 'leadSource' | 'evidence'>>;

/** Edits that do not move the stage; stage moves go through `moveDealStage` and its gate. */
export async function updateDeal(id: string, patch: DealPatch, o?: WriteOptions): Promise<Deal> {
  return db.transaction('rw', db.deals, db.outbox, async () => {
    const cur = await db.deals.get(id);
    if (!cur) throw new AppError('not_found', 'That deal no longer exists.');
    const { terms: _t, ...rest } = cur;
    const next = Deal.parse({ ...rest, ...patch, updatedAt: nowOf(o) });
    await db.deals.put({ ...next, terms: termsFor(next.name) });
    await enqueue('deal', id, 'upsert', o);
    return next;
  });
}

export function setNextStep(id: string, nextStep: NextStep, o?: WriteOptions): Promise<Deal> {
  return updateDeal(id, { nextStep }, o);
}

/**
 * Moves a deal through the stage gate: the evidence the target needs, a next step while open,
 * and a reason when closing. Records the change on the timeline of every contact on the deal.
 */
export async function moveDealStage(id: string, move: StageMove, o?: WriteOptions): Promise<Deal> {
  const now = nowOf(o);
  return db.transaction('rw', [db.deals, db.pipelines, db.activities, db.timeline, db.contacts, db.outbox], async () => {
    const cur = await db.deals.get(id);
    if (!cur) throw new AppError('not_found', 'That deal no longer exists.');
    const p = await db.pipelines.get(cur.pipelineId);
    if (!p) throw new AppError('not_found', 'The deal’s pipeline no longer exists.');
    const { terms: _t, ...deal } = cur;
    const gate = checkStageMove(deal, p, move, now);
    if (!gate.ok) throw new AppError('gate_failed', gate.message, gate);
    const next = applyStageMove(deal, gate.target, move, now);
    await db.deals.put({ ...next, terms: cur.terms });
    await enqueue('deal', id, 'upsert', o);
    await addActivities(
      [
        {
          kind: 'stage_change',
          occurredAt: now,
          contactIds: next.contactIds,
          dealId: id,
          subject: `${deal.name}: ${p.stages.find((s) => s.id === deal.stageId)?.name ?? deal.stageId} → ${gate.target.name}`,
          meta: { from: deal.stageId, to: gate.target.id, ...(move.reason ? { reason: move.reason.slice(0, 500) } : {}) },
        },
      ],
      o,
    );
    return next;
  });
}

export async function deleteDeal(id: string, o?: WriteOptions): Promise<void> {
  await db.transaction('rw', db.deals, db.outbox, async () => {
    await db.deals.update(id, { deletedAt: nowOf(o), updatedAt: nowOf(o) });
    await enqueue('deal', id, 'delete', o);
  });
}
