import { describe, expect, it } from 'vitest';
import { defaultPipeline } from '@/lib/domain/pipeline';
import { weightedForecast, wonRevenueBySource } from '@/lib/domain/forecast';
import { DAY, NOW, deal } from './fixtures';

const p = defaultPipeline();
const usd = (value: number) => ({ value, currency: 'USD' });

describe('weightedForecast', () => {
  it('weights amount by stage probability per expected-close month', () => {
    const deals = [
      deal({ stages: [['proposal', NOW - DAY]], amount: usd(10_000), expectedCloseAt: new Date(2026, 10, 28).getTime() }), // 0.6
      deal({ stages: [['qualified', NOW - DAY]], amount: usd(5_000), expectedCloseAt: new Date(2026, 11, 5).getTime() }), // 0.4
      deal({ stages: [['negotiation', NOW - DAY]], amount: usd(1_000), expectedCloseAt: new Date(2026, 11, 20).getTime() }), // 0.8
    ];
    const f = weightedForecast(deals, [p], NOW, 3);
    expect(f.months.map((m) => m.month)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(f.months[0]).toMatchObject({ weighted: 6_000, total: 10_000, deals: 1 });
    expect(f.months[1]).toMatchObject({ weighted: 2_800, total: 6_000, deals: 2 });
    expect(f.months[2]!.weighted).toBe(0);
    expect(f.currency).toBe('USD');
  });

  it('folds late close dates into this month and counts unscheduled and closed deals out', () => {
    const deals = [
      deal({ stages: [['discovery', NOW - DAY]], amount: usd(1_000), expectedCloseAt: NOW - 40 * DAY }),
      deal({ stages: [['discovery', NOW - DAY]], amount: usd(1_000) }),
      deal({ stages: [['discovery', NOW - DAY]], amount: usd(1_000), expectedCloseAt: NOW + 400 * DAY }),
      deal({ stages: [['won', NOW - DAY]], status: 'won', amount: usd(9_000), expectedCloseAt: NOW }),
      deal({ stages: [['discovery', NOW - DAY]], amount: { value: 7, currency: 'EUR' }, expectedCloseAt: NOW }),
    ];
    const f = weightedForecast(deals, [p], NOW, 6);
    expect(f.months[0]!.weighted).toBeCloseTo(200);
    expect(f.unscheduled).toBe(2);
    expect(f.otherCurrency).toBe(1);
  });
});

describe('wonRevenueBySource', () => {
  it('sums won deals by lead source, biggest first', () => {
    const deals = [
      deal({ status: 'won', leadSource: 'Referral', amount: usd(100) }),
      deal({ status: 'won', leadSource: 'Webinar', amount: usd(300) }),
      deal({ status: 'won', leadSource: 'Referral', amount: usd(250) }),
      deal({ status: 'won', amount: usd(50) }),
      deal({ status: 'lost', leadSource: 'Webinar', amount: usd(999) }),
      deal({ status: 'open', leadSource: 'Webinar', amount: usd(999) }),
    ];
    expect(wonRevenueBySource(deals)).toEqual([
      { source: 'Referral', won: 350, deals: 2 },
      { source: 'Webinar', won: 300, deals: 1 },
      { source: 'Unknown', won: 50, deals: 1 },
    ]);
  });
});
