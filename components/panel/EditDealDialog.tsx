import { useState } from 'react';
import { FormDialog, Input } from '@/components/ui';
import { useAction } from '@/components/hooks/useAction';
import { updateDeal } from '@/lib/db/mutations';
import { toDateInput } from '@/lib/domain/relative-time';
import type { Deal } from '@/lib/model';
import { DealMoneyFields, moneyFields, moneyProblems, type DealMoney } from './DealMoneyFields';

/** Name, money, close date and source; the stage only moves through the gate. */
export function EditDealDialog({ deal, onClose }: { deal: Deal; onClose: () => void }) {
  const [name, setName] = useState(deal.name);
  const [money, setMoney] = useState<DealMoney>({
    amount: deal.amount ? String(deal.amount.value) : '',
    currency: deal.amount?.currency ?? 'USD',
    close: deal.expectedCloseAt !== undefined ? toDateInput(deal.expectedCloseAt) : '',
    leadSource: deal.leadSource ?? '',
  });
  const [errs, setErrs] = useState<Record<string, string>>({});
  // A field left blank clears it: each key is named, then filled if it has a value.
  const save = useAction(() => updateDeal(deal.id, { name: name.trim(), amount: undefined, expectedCloseAt: undefined, leadSource: undefined, ...moneyFields(money) }), ['deals']);
  const submit = async () => {
    const e = moneyProblems(money);
    if (!name.trim()) e.name = 'Name the deal.';
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
      <DealMoneyFields value={money} onChange={setMoney} errors={errs} />
    </FormDialog>
  );
}
