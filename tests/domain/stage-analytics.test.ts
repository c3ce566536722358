import { describe, expect, it } from 'vitest';
import { defaultPipeline } from '@/lib/domain/pipeline';
import { dealsByStage, stageAnalytics } from '@/lib/domain/stage-analytics';
import { DAY, NOW, deal } from './fixtures';

const p = defaultPipeline();
const t0 = NOW - 100 * DAY;

describe('stageAnalytics', () => {
  it('computes conversion between stages and mean days per stage from the history', () => {
    const deals = [
      // lead 4 d → discovery 10 d → qualified (open)
      deal({ stages: [['lead', t0, t0 + 4 * DAY], ['discovery', t0 + 4 * DAY, t0 + 14 * DAY], ['qualified', t0 + 14 * DAY]] }),
      // lead 2 d → discovery 6 d → lost
      deal({ status: 'lost', stages: [['lead', t0, t0 + 2 * DAY], ['discovery', t0 + 2 * DAY, t0 + 8 * DAY], ['lost', t0 + 8 * DAY]] }),
      // still in lead
      deal({ stages: [['lead', t0]] }),
    ];
    const s = Object.fromEntries(stageAnalytics(deals, p).map((x) => [x.stageId, x]));
    expect(s.lead).toMatchObject({ entered: 3, advanced: 2, current: 1 });
    expect(s.lead!.conversion).toBeCloseTo(2 / 3);
    expect(s.lead!.avgDays).toBeCloseTo(3);
    expect(s.discovery).toMatchObject({ entered: 2, advanced: 1, conversion: 0.5, avgDays: 8 });
    expect(s.qualified).toMatchObject({ entered: 1, advanced: 0, current: 1 });
    expect(s.qualified!.avgDays).toBeUndefined();
    expect(s.lost).toMatchObject({ entered: 1, conversion: undefined });
  });

  it('counts a skipped stage as passed', () => {
    const d = deal({ stages: [['lead', t0, t0 + DAY], ['proposal', t0 + DAY]] });
    const s = Object.fromEntries(stageAnalytics([d], p).map((x) => [x.stageId, x]));
    expect(s.discovery).toMatchObject({ entered: 1, advanced: 1 });
    expect(s.proposal).toMatchObject({ entered: 1, advanced: 0 });
  });

  it('groups open deals by stage with totals', () => {
    const cols = dealsByStage([deal({ stages: [['lead', t0]], amount: { value: 5, currency: 'USD' } }), deal({ stages: [['lead', t0]], amount: { value: 7, currency: 'USD' } })], p);
    expect(cols.map((c) => c.stageId)).toEqual(['lead', 'discovery', 'qualified', 'proposal', 'negotiation']);
    expect(cols[0]).toMatchObject({ total: 12 });
    expect(cols[0]!.deals).toHaveLength(2);
  });
});
