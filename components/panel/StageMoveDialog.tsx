import { useMemo, useState } from 'react';
import { FormDialog, Textarea } from '@/components/ui';
import { useAction } from '@/components/hooks/useAction';
import { stageOf } from '@/lib/domain/pipeline';
import { checkStageMove, type StageMove } from '@/lib/domain/stage-gate';
import { duePreset } from '@/lib/domain/task-presets';
import type { Deal, Pipeline } from '@/lib/model';
import { moveStage } from './actions';
import { evidenceLabel } from './labels';
import { NextStepFields, draftFrom, parseDraft } from './NextStepFields';

const EVIDENCE_HINT: Record<string, string> = {
  budget: 'Who holds the money, how much, and is it approved?',
  authority: 'Who signs, and have they been involved?',
  need: 'Which problem, in the buyer’s words?',
  timeline: 'When must it be live, and why then?',
};

/**
 * Asks for exactly what the stage gate says is missing (evidence, next step, reason) and moves
 * the deal. The gate itself runs again inside the mutation, so this form can never bypass it.
 */
export function StageMoveDialog({ deal, pipeline, toStageId, now, sourceUrl, onClose }: { deal: Deal; pipeline: Pipeline; toStageId: string; now: number; sourceUrl?: string; onClose: () => void }) {
  const target = stageOf(pipeline, toStageId);
  const gate = useMemo(() => checkStageMove(deal, pipeline, { toStageId }, now), [deal, pipeline, toStageId, now]);
  const missing = gate.ok ? [] : gate.missingEvidence;
  const needsNextStep = !gate.ok && gate.needsNextStep;
  const needsReason = !gate.ok && gate.needsReason;
  const [evidence, setEvidence] = useState<Record<string, string>>({});
  const [step, setStep] = useState(() => draftFrom(deal.nextStep && deal.nextStep.dueAt >= now ? deal.nextStep : undefined, duePreset('in3days', now)));
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const move = useAction((m: StageMove) => moveStage(deal.id, m, sourceUrl), ['deals', 'activities', 'tasks']);

  const submit = async () => {
    const errs: Record<string, string> = {};
    for (const k of missing) if (!evidence[k]?.trim()) errs[k] = `Evidence of ${k} is required for ${target?.name}.`;
    const parsed = needsNextStep ? parseDraft(step) : undefined;
    if (typeof parsed === 'string') errs.nextStep = parsed;
    if (needsReason && !reason.trim()) errs.reason = `Say why it was ${target?.outcome}.`;
    setProblems(errs);
    if (Object.keys(errs).length) return;
    const ok = await move.run({
      toStageId,
      ...(missing.length ? { evidence: Object.fromEntries(missing.map((k) => [k, evidence[k]!.trim()])) } : {}),
      ...(parsed && typeof parsed !== 'string' ? { nextStep: parsed } : {}),
      ...(needsReason ? { reason: reason.trim() } : {}),
    });
    if (ok) onClose();
  };

  const verb = target?.outcome === 'won' ? 'Mark won' : target?.outcome === 'lost' ? 'Mark lost' : `Move to ${target?.name ?? toStageId}`;
  return (
    <FormDialog
      onClose={onClose}
      title={verb}
      description={gate.ok ? deal.name : `${deal.name}: ${gate.message}`}
      submitLabel={verb}
      submitVariant={target?.outcome === 'lost' ? 'danger' : 'primary'}
      busy={move.busy}
      error={move.error}
      onSubmit={submit}
    >
      {missing.map((k) => (
        <Textarea
          key={k}
          label={`Evidence: ${evidenceLabel(k)}`}
          hint={EVIDENCE_HINT[k]}
          rows={2}
          maxLength={2000}
          value={evidence[k] ?? ''}
          onChange={(e) => setEvidence({ ...evidence, [k]: e.target.value })}
          error={problems[k]}
        />
      ))}
      {needsNextStep && <NextStepFields value={step} onChange={setStep} now={now} error={problems.nextStep} />}
      {needsReason && (
        <Textarea
          label={target?.outcome === 'won' ? 'Why did we win?' : 'Why was it lost?'}
          rows={2}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={problems.reason}
        />
      )}
      {gate.ok && <p className="text-sm text-slate-600 dark:text-slate-400">Nothing else is needed for this move.</p>}
    </FormDialog>
  );
}
