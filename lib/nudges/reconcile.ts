import type { Task } from '@/lib/model';
import { ruleOf } from './rules';
import { inScope, type DesiredNudge, type NudgeSnapshot } from './types';

export interface NudgePlan {
  create: DesiredNudge[];
  /** Retired nudges whose very instance holds again (say, a next step removed again): reopened. */
  revive: { id: string; nudge: DesiredNudge }[];
  /** Live nudges whose condition cleared: tombstoned. */
  retire: string[];
}

/** Whether the snapshot judged this nudge's subject, so its absence from `desired` means "cleared". */
export function judged(t: Pick<Task, 'ruleKey' | 'contactId' | 'dealId'>, snap: NudgeSnapshot): boolean {
  const rule = t.ruleKey ? ruleOf(t.ruleKey) : undefined;
  switch (rule) {
    case 'no_reply':
      return inScope(snap.noReplyScope, t.contactId);
    case 're_engage':
      return inScope(snap.contactScope, t.contactId);
    case 'stale_deal':
    case 'overdue_next_step':
    case 'missing_next_step':
      return inScope(snap.dealScope, t.dealId);
    default:
      return false;
  }
}

/**
 * Pure diff between the nudges that should exist and the nudge tasks stored (tombstones
 * included). The rules:
 * - missing → create; tombstoned → revive as open;
 * - open or dismissed, and its condition cleared → retire (tombstone);
 * - done stays done: the rep's record of having acted is history, not a nudge to take back;
 * - dismissed and still true → left alone: dismissal holds for this instance.
 */
export function planNudgeWrites(desired: DesiredNudge[], existing: Task[], snap: NudgeSnapshot): NudgePlan {
  const byKey = new Map<string, Task>();
  for (const t of existing) if (t.ruleKey) byKey.set(t.ruleKey, t);
  const wanted = new Set<string>();
  const plan: NudgePlan = { create: [], revive: [], retire: [] };

  for (const n of desired) {
    if (wanted.has(n.ruleKey)) continue;
    wanted.add(n.ruleKey);
    const t = byKey.get(n.ruleKey);
    if (!t) plan.create.push(n);
    else if (t.deletedAt) plan.revive.push({ id: t.id, nudge: n });
  }
  for (const t of existing) {
    if (!t.ruleKey || t.deletedAt || wanted.has(t.ruleKey) || t.status === 'done') continue;
    if (judged(t, snap)) plan.retire.push(t.id);
  }
  return plan;
}

export function isEmptyPlan(p: NudgePlan): boolean {
  return !p.create.length && !p.revive.length && !p.retire.length;
}
