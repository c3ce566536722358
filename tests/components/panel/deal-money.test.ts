import { describe, expect, it } from 'vitest';
import { moneyFields, moneyProblems } from '@/components/panel/DealMoneyFields';
import { fromDateInput } from '@/lib/domain/relative-time';

const blank = { amount: '', currency: 'EUR', close: '', leadSource: '' };

describe('deal money fields', () => {
  it('names each field that cannot be saved', () => {
    expect(moneyProblems(blank)).toEqual({});
    expect(moneyProblems({ amount: '-5', currency: 'eu', close: '2026-13-45', leadSource: '' })).toEqual({
      amount: 'Amount must be a number.',
      currency: 'Three capital letters, e.g. USD.',
      close: 'Pick a date.',
    });
    expect(moneyProblems({ ...blank, amount: '12.5', close: '2026-12-01' })).toEqual({});
  });

  it('leaves blank values out rather than saving zero or an empty source', () => {
    expect(moneyFields(blank)).toEqual({});
    expect(moneyFields({ amount: '1200', currency: 'EUR', close: '2026-12-01', leadSource: 'Referral' })).toEqual({
      amount: { value: 1200, currency: 'EUR' },
      expectedCloseAt: fromDateInput('2026-12-01', 12),
      leadSource: 'Referral',
    });
  });
});
