import { useState } from 'react';
import { FormDialog, Input, Select } from '@/components/ui';
import { useAction } from '@/components/hooks/useAction';
import { orderedStages } from '@/lib/domain/pipeline';
import { evidenceRequiredFor } from '@/lib/domain/stage-gate';
import { duePreset } from '@/lib/domain/task-presets';
import type { Company, Contact, Pipeline, Settings } from '@/lib/model';
import { createDealWithNextStep } from './actions';
import { DealMoneyFields, moneyFields, moneyProblems, type DealMoney } from './DealMoneyFields';
import { NextStepFields, draftFrom, parseDraft } from './NextStepFields';

/** New deal for a contact. It starts in a stage that needs no evidence, with a next step. */
export function DealForm({ contact, company, pipelines, settings, now, sourceUrl, onClose }: { contact: Contact; company?: Company | null; pipelines: Pipeline[]; settings?: Settings; now: number; sourceUrl?: string; onClose: () => void }) {
  const [pipelineId, setPipelineId] = useState((pipelines.find((p) => p.isDefault) ?? pipelines[0])?.id ?? '');
  const pipeline = pipelines.find((p) => p.id === pipelineId);
  // Entering a stage that requires evidence goes through the gate, i.e. a move after creation.
  const startStages = pipeline ? orderedStages(pipeline).filter((s) => s.outcome === 'open' && evidenceRequiredFor(pipeline, s).length === 0) : [];
  const [stageId, setStageId] = useState(startStages[0]?.id ?? '');
  const [name, setName] = useState(`${company?.name ?? company?.domain ?? contact.name ?? contact.emails[0]} deal`);
  const [money, setMoney] = useState<DealMoney>({ amount: '', currency: settings?.defaultCurrency ?? 'USD', close: '', leadSource: contact.source.leadSource ?? '' });
  const [step, setStep] = useState(() => draftFrom(undefined, duePreset('tomorrow', now)));
  const [errs, setErrs] = useState<Record<string, string>>({});

  const save = useAction(async () => {
    const ns = parseDraft(step);
    if (typeof ns === 'string') throw new Error(ns);
    await createDealWithNextStep(
      {
        name: name.trim(),
        pipelineId,
        stageId,
        contactIds: [contact.id],
        companyId: contact.companyId,
        ...moneyFields(money),
        nextStep: ns,
      },
      sourceUrl,
    );
  }, ['deals', 'tasks']);

  const submit = async () => {
    const e = moneyProblems(money);
    if (!name.trim()) e.name = 'Name the deal.';
    const ns = parseDraft(step);
    if (typeof ns === 'string') e.nextStep = ns;
    if (!stageId) e.stage = 'Pick a stage.';
    setErrs(e);
    if (Object.keys(e).length) return;
    if (await save.run()) onClose();
  };

  return (
    <FormDialog
      onClose={onClose}
      title="Create a deal"
      description={contact.name ?? contact.emails[0]}
      submitLabel="Create deal"
      busy={save.busy}
      error={save.error}
      onSubmit={submit}
    >
      <Input label="Deal name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} error={errs.name} />
      {pipelines.length > 1 && (
        <Select
          label="Pipeline"
          value={pipelineId}
          onChange={(e) => {
            setPipelineId(e.target.value);
            const p = pipelines.find((x) => x.id === e.target.value);
            setStageId(p ? (orderedStages(p).find((s) => s.outcome === 'open' && evidenceRequiredFor(p, s).length === 0)?.id ?? '') : '');
          }}
        >
          {pipelines.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </Select>
      )}
      <Select label="Stage" value={stageId} onChange={(e) => setStageId(e.target.value)} error={errs.stage}>
        {startStages.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </Select>
      <DealMoneyFields value={money} onChange={setMoney} errors={errs} />
      <NextStepFields value={step} onChange={setStep} now={now} error={errs.nextStep} />
    </FormDialog>
  );
}
