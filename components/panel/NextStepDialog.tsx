import { useState } from 'react';
import { FormDialog } from '@/components/ui';
import { useAction } from '@/components/hooks/useAction';
import { duePreset } from '@/lib/domain/task-presets';
import type { Contact, Deal } from '@/lib/model';
import { addFollowUp, setDealNextStep } from './actions';
import { NextStepFields, draftFrom, parseDraft } from './NextStepFields';

export type NextStepTarget = { kind: 'deal'; deal: Deal } | { kind: 'follow_up'; contact: Contact };

/** Sets a deal's next step, or adds a follow-up for a contact, with date presets. */
export function NextStepDialog({ target, now, sourceUrl, onClose }: { target: NextStepTarget; now: number; sourceUrl?: string; onClose: () => void }) {
  const isDeal = target.kind === 'deal';
  const [draft, setDraft] = useState(() => draftFrom(isDeal ? target.deal.nextStep : undefined, duePreset('tomorrow', now)));
  const [invalid, setInvalid] = useState<string | null>(null);
  const save = useAction(async () => {
    const step = parseDraft(draft);
    if (typeof step === 'string') throw new Error(step);
    if (target.kind === 'deal') await setDealNextStep(target.deal.id, step, sourceUrl);
    else await addFollowUp(target.contact, step.text, step.dueAt, sourceUrl);
  }, ['deals', 'tasks']);
  const submit = async () => {
    const step = parseDraft(draft);
    setInvalid(typeof step === 'string' ? step : null);
    if (typeof step === 'string') return;
    if (await save.run()) onClose();
  };
  return (
    <FormDialog
      onClose={onClose}
      title={isDeal ? 'Set next step' : 'Add a follow-up'}
      description={isDeal ? target.deal.name : (target.contact.name ?? target.contact.emails[0])}
      submitLabel="Save"
      busy={save.busy}
      error={save.error}
      onSubmit={submit}
      formClassName=""
    >
      <NextStepFields value={draft} onChange={setDraft} now={now} textLabel={isDeal ? 'Next step' : 'Follow-up'} error={invalid} />
    </FormDialog>
  );
}
