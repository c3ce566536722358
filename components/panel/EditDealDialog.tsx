import { useState } from 'react';
import { FormDialog, Input } from '@/components/ui';
import { useAction } from '@/components/hooks/useAction';
import { updateDeal } from '@/lib/db/mutations';
import { fromDateInput, toDateInput } from '@/lib/domain/relative-time';
import type { Deal } from '@/lib/model';
import { LeadSourceSelect } from './ContactForm';

/** Name, money, close date and source; the stage only moves through the gate. */
export function EditDealDialog({ deal, onClose }: { deal: Deal; onClose: () => void }) {
  const [name, setName] = useState(deal.name);
  const [amount, setAmount] = useState(deal.amount ? String(deal.amount.value) : '');
  const [currency, setCurrency] = useState(deal.amount?.currency ?? 'USD');
  const [close, setClose] = useState(deal.expectedCloseAt !== undefined ? toDateInput(deal.expectedCloseAt) : '');
  const [leadSource, setLeadSource] = useState(deal.leadSource ?? '');
  const [errs, setErrs] = useState<Record<string, string>>({});
  const save = useAction(
    () =>
      updateDeal(deal.id, {
        name: name.trim(),
        amount: amount.trim() ? { value: Number(amount), currency } : undefined,
        expectedCloseAt: close ? fromDateInput(close, 12) : undefined,
        leadSource: leadSource || undefined,
      }),
    ['deals'],
  );
  const submit = async () => {
    const e: Record<string, string> = {};
    if (!name.trim()) e.name = 'Name the deal.';
    if (amount.trim() && !(Number(amount) >= 0)) e.amount = 'Amount must be a number.';
    if (!/^[A-Z]{3}$/.test(currency)) e.currency = 'Three capital letters, e.g. USD.';
    setErrs(e);
    if (Object.keys(e).length) return;
    if (await save.run()) onClose();
  };
  return (
    <FormDialog
      onClose={onClose}
      title="Edit deal"
      description={deal.name}
      submitLabel="Save"
      busy={save.busy}
      error={save.error}
      onSubmit={submit}
    >
      <Input label="Deal name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} error={errs.name} />
      <div className="flex gap-2">
        <Input label="Amount" type="number" min={0} step="any" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} error={errs.amount} className="flex-1" />
        <Input label="Currency" value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value.toUpperCase())} error={errs.currency} className="w-20" />
      </div>
      <Input label="Expected close" type="date" value={close} onChange={(e) => setClose(e.target.value)} />
      <LeadSourceSelect value={leadSource} onChange={setLeadSource} />
    </FormDialog>
  );
}
