import { describe, expect, it } from 'vitest';
import { planNudgeWrites, refOf } from '@/lib/nudges/reconcile';
import type { DesiredNudge } from '@/lib/nudges/types';
import { snapshot } from './fixtures';

const nudge = (ruleKey: string, patch: Partial<DesiredNudge> = {}): DesiredNudge => ({ ruleKey, kind: 'no_reply', title: ruleKey, dueAt: 1, ...patch });
const ALL_ON = { noReply: true, staleDeal: true, overdueNextStep: true, reEngage: true, missingNextStep: true };

describe('planNudgeWrites', () => {
  it('creates what is missing, keeps what is stored (dismissed and done included), retires what cleared', () => {
    const plan = planNudgeWrites(
      [nudge('no_reply:ana:m2'), nudge('stale_deal:d1:5'), nudge('stale_deal:d1:5')],
      ['no_reply:ana:m1', 'stale_deal:d1:5', 'next-step:d1', 'retired:9:no_reply:ana:m0'],
      snapshot(),
      ALL_ON,
    );
    expect(plan.create.map((n) => n.ruleKey)).toEqual(['no_reply:ana:m2']);
    expect(plan.retire).toEqual(['no_reply:ana:m1']);
  });

  it('never retires a nudge whose subject the snapshot did not judge', () => {
    const snap = snapshot({ noReplyScope: new Set(['bob']), contactScope: new Set(['bob']), dealScope: new Set(['d2']) });
    const plan = planNudgeWrites([], ['no_reply:ana:m1', 're_engage:ana:1', 'stale_deal:d1:1', 'no_reply:bob:m3', 'missing_next_step:d2:1'], snap, ALL_ON);
    expect(plan.retire.sort()).toEqual(['missing_next_step:d2:1', 'no_reply:bob:m3']);
  });

  it('retires every nudge of a rule switched off, judged or not', () => {
    const snap = snapshot({ contactScope: new Set(), noReplyScope: new Set(), dealScope: new Set() });
    const plan = planNudgeWrites([], ['re_engage:ana:1', 'no_reply:ana:m1'], snap, { ...ALL_ON, reEngage: false });
    expect(plan.retire).toEqual(['re_engage:ana:1']);
  });
});

describe('refOf', () => {
  it('reads the subject from the key; foreign and retired keys are not nudges', () => {
    expect(refOf('no_reply:ana:m1')).toEqual({ ruleKey: 'no_reply:ana:m1', contactId: 'ana' });
    expect(refOf('overdue_next_step:d1:123')).toEqual({ ruleKey: 'overdue_next_step:d1:123', dealId: 'd1' });
    expect(refOf('next-step:d1')).toBeUndefined();
    expect(refOf('retired:9:no_reply:ana:m1')).toBeUndefined();
  });
});
