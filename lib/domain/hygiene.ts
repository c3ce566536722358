import type { Contact, Deal, Pipeline } from '@/lib/model';
import { stageOf } from './pipeline';
import { daysSince } from './relative-time';

export type HygieneKind = 'no_source' | 'no_stage' | 'no_next_step' | 'stale_deal' | 'overdue_next_step';

export interface HygieneFlag {
  kind: HygieneKind;
  message: string;
  /** The deal it is about, for deal flags. */
  dealId?: string;
}

/** Where the deal's current stage started: the open visit in its history, else its creation. */
export function stageEnteredAt(d: Deal): number {
  const open = d.stageHistory.findLast((v) => v.stageId === d.stageId && v.leftAt === undefined);
  return open?.enteredAt ?? d.stageHistory.at(-1)?.enteredAt ?? d.createdAt;
}

/**
 * Record-quality problems a rep can fix in one click. "Source" is the lead source: how the
 * record got in (capture, import) is always known; which channel produced it is what reports need.
 */
export function hygieneFlags(contact: Contact, deals: Deal[], pipelines: Pipeline[], now: number): HygieneFlag[] {
  const flags: HygieneFlag[] = [];
  if (!contact.source.leadSource?.trim()) flags.push({ kind: 'no_source', message: 'No lead source' });
  if (!contact.lifecycleStage) flags.push({ kind: 'no_stage', message: 'No lifecycle stage' });
  const byId = new Map(pipelines.map((p) => [p.id, p]));
  for (const d of deals) {
    if (d.status !== 'open' || d.deletedAt) continue;
    if (!d.nextStep) flags.push({ kind: 'no_next_step', dealId: d.id, message: `${d.name}: no next step` });
    else if (d.nextStep.dueAt < now) flags.push({ kind: 'overdue_next_step', dealId: d.id, message: `${d.name}: next step overdue` });
    const p = byId.get(d.pipelineId);
    const stage = p && stageOf(p, d.stageId);
    if (stage) {
      const days = daysSince(stageEnteredAt(d), now);
      if (days > stage.staleAfterDays) flags.push({ kind: 'stale_deal', dealId: d.id, message: `${d.name}: ${days} days in ${stage.name} (limit ${stage.staleAfterDays})` });
    }
  }
  return flags;
}
