import type { Deal, Pipeline } from '@/lib/model';
import { orderedStages } from './pipeline';
import { DAY_MS } from './relative-time';

export interface StageStat {
  stageId: string;
  name: string;
  /** Deals that ever stood in this stage. */
  entered: number;
  /** Of those, how many went on to a later open/won stage; undefined for closing stages. */
  advanced?: number;
  /** advanced / entered, 0..1. */
  conversion?: number;
  /** Mean days per finished visit; undefined when no visit has ended yet. */
  avgDays?: number;
  /** Open deals standing here now. */
  current: number;
}

/**
 * Conversion between stages and average time in each, read from every deal's stage history.
 * A deal that skipped a stage counts as having passed through it: it cleared that stage's bar.
 */
export function stageAnalytics(deals: Deal[], p: Pipeline): StageStat[] {
  const stages = orderedStages(p);
  const orderOf = new Map(stages.map((s) => [s.id, s.order]));
  const stats = stages.map((s) => ({ stageId: s.id, name: s.name, entered: 0, advanced: 0, days: 0, visits: 0, current: 0, outcome: s.outcome, order: s.order }));
  const byId = new Map(stats.map((s) => [s.stageId, s]));
  for (const d of deals) {
    if (d.pipelineId !== p.id || d.deletedAt) continue;
    const visited = d.stageHistory.filter((v) => orderOf.has(v.stageId));
    if (!visited.length) continue;
    const lostAt = d.status === 'lost' ? visited.findLast((v) => byId.get(v.stageId)?.outcome === 'lost') : undefined;
    // The furthest stage the deal reached before any loss.
    const openVisits = visited.filter((v) => byId.get(v.stageId)?.outcome !== 'lost');
    const furthest = Math.max(...openVisits.map((v) => orderOf.get(v.stageId)!), -Infinity);
    const first = Math.min(...openVisits.map((v) => orderOf.get(v.stageId)!), Infinity);
    for (const s of stats) {
      if (s.outcome === 'lost') continue;
      if (s.order >= first && s.order <= furthest) {
        s.entered++;
        if (s.order < furthest) s.advanced++;
      }
    }
    if (lostAt) byId.get(lostAt.stageId)!.entered++;
    for (const v of visited) {
      const s = byId.get(v.stageId)!;
      if (v.leftAt !== undefined) {
        s.days += (v.leftAt - v.enteredAt) / DAY_MS;
        s.visits++;
      }
    }
    if (d.status === 'open') {
      const cur = byId.get(d.stageId);
      if (cur) cur.current++;
    }
  }
  return stats.map((s) => {
    const closing = s.outcome !== 'open';
    return {
      stageId: s.stageId,
      name: s.name,
      entered: s.entered,
      advanced: closing ? undefined : s.advanced,
      conversion: closing || s.entered === 0 ? undefined : s.advanced / s.entered,
      avgDays: s.visits ? s.days / s.visits : undefined,
      current: s.current,
    };
  });
}

export interface StageColumn {
  stageId: string;
  name: string;
  deals: Deal[];
  total: number;
}

/** Open deals grouped by their stage, in pipeline order. */
export function dealsByStage(deals: Deal[], p: Pipeline): StageColumn[] {
  return orderedStages(p)
    .filter((s) => s.outcome === 'open')
    .map((s) => {
      const here = deals.filter((d) => d.pipelineId === p.id && d.stageId === s.id && d.status === 'open' && !d.deletedAt);
      return { stageId: s.id, name: s.name, deals: here, total: here.reduce((n, d) => n + (d.amount?.value ?? 0), 0) };
    });
}
