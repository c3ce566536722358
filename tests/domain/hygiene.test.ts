import { describe, expect, it } from 'vitest';
import { defaultPipeline } from '@/lib/domain/pipeline';
import { hygieneFlags } from '@/lib/domain/hygiene';
import { DAY, NOW, contact, deal } from './fixtures';

const p = defaultPipeline();

describe('hygieneFlags', () => {
  it('is clean for a well-kept contact', () => {
    const d = deal({ stages: [['discovery', NOW - 3 * DAY]], nextStep: { text: 'Demo', dueAt: NOW + DAY } });
    expect(hygieneFlags(contact(), [d], [p], NOW)).toEqual([]);
  });

  it('flags missing lead source and lifecycle stage', () => {
    const kinds = hygieneFlags(contact({ lifecycleStage: undefined, source: { origin: 'capture' } }), [], [p], NOW).map((f) => f.kind);
    expect(kinds).toEqual(['no_source', 'no_stage']);
  });

  it('flags an open deal with no next step and one stuck past its stage limit', () => {
    const noNext = deal({ stages: [['discovery', NOW - 2 * DAY]] });
    // Lead in has a 7-day limit.
    const stuck = deal({ stages: [['lead', NOW - 9 * DAY]], nextStep: { text: 'Call', dueAt: NOW + DAY } });
    const closed = deal({ status: 'won', stages: [['won', NOW - 400 * DAY]] });
    const flags = hygieneFlags(contact(), [noNext, stuck, closed], [p], NOW);
    expect(flags).toEqual([
      { kind: 'no_next_step', dealId: noNext.id, message: `${noNext.name}: no next step` },
      { kind: 'stale_deal', dealId: stuck.id, message: `${stuck.name}: 9 days in Lead in (limit 7)` },
    ]);
  });

  it('flags an overdue next step', () => {
    const d = deal({ stages: [['discovery', NOW - DAY]], nextStep: { text: 'Call', dueAt: NOW - DAY } });
    expect(hygieneFlags(contact(), [d], [p], NOW).map((f) => f.kind)).toEqual(['overdue_next_step']);
  });
});
