import type { Settings } from '@/lib/model';
import { RULES, ruleOf } from './rules';
import { inScope, type DesiredNudge, type NudgeSnapshot } from './types';

export interface NudgePlan {
  create: DesiredNudge[];
  /** Rule keys of stored nudges whose condition cleared. */
  retire: string[];
}

/** A stored nudge as its rule key names it: rule, subject, instance. No record read needed. */
export interface NudgeRef {
  ruleKey: string;
  contactId?: string;
  dealId?: string;
}

/** `no_reply:<contactId>:<activityId>`, `stale_deal:<dealId>:<at>`, …: the subject is the second part. */
export function refOf(ruleKey: string): NudgeRef | undefined {
  const rule = ruleOf(ruleKey);
  if (!rule) return undefined;
  const subject = ruleKey.split(':')[1];
  if (!subject) return undefined;
  return rule === 'no_reply' || rule === 're_engage' ? { ruleKey, contactId: subject } : { ruleKey, dealId: subject };
}

/** Whether the snapshot judged this nudge's subject, so its absence from `desired` means "cleared". */
export function judged(t: NudgeRef, snap: NudgeSnapshot): boolean {
  switch (ruleOf(t.ruleKey)) {
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
 * Pure diff between the nudges that should exist and the rule keys stored. A stored rule key
 * is a live nudge (open, dismissed or done): retiring one moves its key aside, so the key
 * index holds live nudges only and a pass needs the keys, not the records.
 * - desired and not stored → create;
 * - stored and desired → nothing: a dismissed or done nudge stays so for this instance;
 * - stored, judged, not desired → retire (its condition cleared);
 * - stored by a rule switched off in settings → retire, whatever the snapshot covers.
 */
export function planNudgeWrites(desired: DesiredNudge[], stored: Iterable<string>, snap: NudgeSnapshot, enabled?: Settings['reminders']['enabled']): NudgePlan {
  const have = new Set(stored);
  const wanted = new Set<string>();
  const plan: NudgePlan = { create: [], retire: [] };
  for (const n of desired) {
    if (wanted.has(n.ruleKey)) continue;
    wanted.add(n.ruleKey);
    if (!have.has(n.ruleKey)) plan.create.push(n);
  }
  for (const key of have) {
    if (wanted.has(key)) continue;
    const ref = refOf(key);
    if (!ref) continue;
    const rule = ruleOf(key)!;
    const off = enabled ? !enabled[RULES[rule].enabled] : false;
    if (off || judged(ref, snap)) plan.retire.push(key);
  }
  return plan;
}

export function isEmptyPlan(p: NudgePlan): boolean {
  return !p.create.length && !p.retire.length;
}
