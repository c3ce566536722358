import { Input } from '@/components/ui';
import { fromDateInput } from '@/lib/domain/relative-time';
import type { Deal } from '@/lib/model';
import { LeadSourceSelect } from './ContactForm';

/** The deal fields both deal dialogs edit as typed: amount, currency, expected close, lead source. */
export interface DealMoney {
  amount: string;
  currency: string;
  close: string;
  leadSource: string;
}

/** What is wrong, by field; empty when the values can be saved. */
export function moneyProblems(v: DealMoney): Record<string, string> {
  const e: Record<string, string> = {};
  if (v.amount.trim() && !(Number(v.amount) >= 0)) e.amount = 'Amount must be a number.';
  if (!/^[A-Z]{3}$/.test(v.currency)) e.currency = 'Three capital letters, e.g. USD.';
  if (v.close && fromDateInput(v.close) === undefined) e.close = 'Pick a date.';
  return e;
}

/** The values as deal fields; a blank one is absent, not zero or empty. */
export function moneyFields(v: DealMoney): Partial<Pick<Deal, 'amount' | 'expectedCloseAt' | 'leadSource'>> {
  return {
    ...(v.amount.trim() ? { amount: { value: Number(v.amount), currency: v.currency } } : {}),
    ...(v.close ? { expectedCloseAt: fromDateInput(v.close, 12) } : {}),
    ...(v.leadSource ? { leadSource: v.leadSource } : {}),
  };
}

export function DealMoneyFields({ value, onChange, errors }: { value: DealMoney; onChange: (v: DealMoney) => void; errors: Record<string, string> }) {
  const set = (patch: Partial<DealMoney>) => onChange({ ...value, ...patch });
  return (
    <>
      <div className="flex gap-2">
        <Input label="Amount" type="number" min={0} step="any" inputMode="decimal" value={value.amount} onChange={(e) => set({ amount: e.target.value })} error={errors.amount} className="flex-1" />
        <Input label="Currency" value={value.currency} maxLength={3} onChange={(e) => set({ currency: e.target.value.toUpperCase() })} error={errors.currency} className="w-20" />
      </div>
      <Input label="Expected close" type="date" value={value.close} onChange={(e) => set({ close: e.target.value })} error={errors.close} />
      <LeadSourceSelect value={value.leadSource} onChange={(leadSource) => set({ leadSource })} />
    </>
  );
}
