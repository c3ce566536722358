import type { Deal, NextStep, Pipeline, Stage } from '@/lib/model';
import { orderedStages, stageOf } from './pipeline';

export interface StageMove {
  toStageId: string;
  /** New evidence by kind, e.g. { budget: "Approved 40k in Q3 plan" }. */
  evidence?: Record<string, string>;
  nextStep?: NextStep;
  /** Why it was won or lost. */
  reason?: string;
}

export type GateResult =
  | { ok: true; target: Stage }
  | { ok: false; target?: Stage; missingEvidence: string[]; needsNextStep: boolean; needsReason: boolean; message: string };

/**
 * The evidence a deal must hold to stand in `target`: what that stage asks for plus what every
 * open stage before it asks for, so skipping a stage never skips its questions.
 */
export function evidenceRequiredFor(p: Pipeline, target: Stage): string[] {
  const need = new Set<string>();
  for (const s of orderedStages(p)) {
    if (s.outcome === 'lost') continue;
    if (s.order > target.order) break;
    for (const k of s.requiredEvidence) need.add(k);
  }
  return [...need];
}

/** Pure: may this deal move to that stage with this input, and if not, what is missing. */
export function checkStageMove(deal: Deal, p: Pipeline, move: StageMove, now: number): GateResult {
  const target = stageOf(p, move.toStageId);
  if (!target) return { ok: false, missingEvidence: [], needsNextStep: false, needsReason: false, message: `Stage ${move.toStageId} is not in ${p.name}.` };
  const current = stageOf(p, deal.stageId);
  const forward = !current || target.order > current.order;
  const has = (k: string) => Boolean(deal.evidence[k]?.text?.trim() || move.evidence?.[k]?.trim());
  const missingEvidence = target.outcome === 'lost' || !forward ? [] : evidenceRequiredFor(p, target).filter((k) => !has(k));
  const needsNextStep = target.outcome === 'open' && !(move.nextStep && move.nextStep.text.trim() && move.nextStep.dueAt >= startOfDay(now)) && !(deal.nextStep && !forward);
  const needsReason = target.outcome !== 'open' && !move.reason?.trim();
  if (missingEvidence.length || needsNextStep || needsReason) {
    const parts: string[] = [];
    if (missingEvidence.length) parts.push(`evidence of ${missingEvidence.join(', ')}`);
    if (needsNextStep) parts.push('a next step with a date');
    if (needsReason) parts.push(`why it was ${target.outcome}`);
    return { ok: false, target, missingEvidence, needsNextStep, needsReason, message: `${target.name} needs ${parts.join(' and ')}.` };
  }
  return { ok: true, target };
}

/** Pure: the deal after an allowed move. Call only when `checkStageMove` said ok. */
export function applyStageMove(deal: Deal, target: Stage, move: StageMove, now: number): Deal {
  const evidence = { ...deal.evidence };
  for (const [k, text] of Object.entries(move.evidence ?? {})) {
    if (text.trim()) evidence[k] = { text: text.trim(), recordedAt: now };
  }
  const history = deal.stageHistory.map((v, i, all) => (i === all.length - 1 && v.leftAt === undefined ? { ...v, leftAt: now } : v));
  history.push({ stageId: target.id, enteredAt: now });
  const closed = target.outcome !== 'open';
  return {
    ...deal,
    stageId: target.id,
    status: target.outcome,
    evidence,
    stageHistory: history,
    nextStep: closed ? undefined : (move.nextStep ?? deal.nextStep),
    closedAt: closed ? now : undefined,
    closedReason: closed ? move.reason?.trim() : undefined,
    updatedAt: now,
  };
}

function startOfDay(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}
