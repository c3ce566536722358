import { useMemo, useState } from 'react';
import { ArrowDown, ArrowUp, Plus, X } from 'lucide-react';
import { savePipeline } from '@/lib/db/mutations';
import { DEFAULT_EVIDENCE, type Pipeline, type Stage } from '@/lib/model';
import { Button, Checkbox, ErrorBanner, Input, Select, errorText } from '@/components/ui';
import { newStageId, pipelineProblems, renumber, type DealsPerStage } from './pipeline-rules';

const OUTCOMES: { value: Stage['outcome']; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'won', label: 'Won (closes the deal)' },
  { value: 'lost', label: 'Lost (closes the deal)' },
];

const same = (a: Pipeline, b: Pipeline) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Edits a copy of one pipeline; Save stays disabled while the copy is invalid, so the stored
 * pipeline is always one the stage gate can use.
 */
export function PipelineEditor({ saved, deals }: { saved: Pipeline; deals: DealsPerStage }) {
  // null = nothing edited: the form shows the stored pipeline and follows outside changes
  // (another tab, a restore) without an effect that could race the user's first edit.
  const [edited, setEdited] = useState<Pipeline | null>(null);
  const draft = edited ?? saved;
  const [kinds, setKinds] = useState<string[]>(() => [...new Set([...DEFAULT_EVIDENCE, ...saved.stages.flatMap((s) => s.requiredEvidence)])]);
  const [newKind, setNewKind] = useState('');
  const [status, setStatus] = useState<{ kind: 'saved' } | { kind: 'error'; message: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const dirty = edited !== null && !same(edited, saved);

  const problems = useMemo(() => pipelineProblems(draft, saved, deals), [draft, saved, deals]);
  const global = problems.filter((p) => p.stage === undefined);

  const edit = (next: Pipeline) => {
    setStatus(null);
    setEdited(next);
  };
  const editStage = (i: number, patch: Partial<Stage>) => edit({ ...draft, stages: draft.stages.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const move = (i: number, by: -1 | 1) => {
    const stages = [...draft.stages];
    const [s] = stages.splice(i, 1);
    stages.splice(i + by, 0, s!);
    edit({ ...draft, stages: renumber(stages) });
  };
  const addStage = () => {
    const name = `New stage ${draft.stages.length + 1}`;
    const stage: Stage = { id: newStageId(name, draft.stages), name, order: 0, probability: 0.5, requiredEvidence: [], staleAfterDays: 14, outcome: 'open' };
    // New stages go before the first closing stage, where open stages live.
    const at = draft.stages.findIndex((s) => s.outcome !== 'open');
    const stages = [...draft.stages];
    stages.splice(at < 0 ? stages.length : at, 0, stage);
    edit({ ...draft, stages: renumber(stages) });
  };

  const save = async () => {
    setSaving(true);
    try {
      await savePipeline({ ...draft, stages: renumber(draft.stages) });
      setEdited(null);
      setStatus({ kind: 'saved' });
    } catch (e) {
      setStatus({ kind: 'error', message: `Not saved: ${errorText(e)}` });
    } finally {
      setSaving(false);
    }
  };

  const addKind = () => {
    const k = newKind.trim().toLowerCase();
    if (!k || k.length > 40 || kinds.includes(k)) return;
    setKinds([...kinds, k]);
    setNewKind('');
  };

  return (
    <form
      aria-label={`Edit pipeline ${saved.name}`}
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty && !problems.length) void save();
      }}
    >
      <Input label="Pipeline name" value={draft.name} maxLength={80} onChange={(e) => edit({ ...draft, name: e.target.value })} error={problems.find((p) => p.field === 'name' && p.stage === undefined)?.message} className="max-w-80" />

      <ol aria-label="Stages" className="flex flex-col gap-2">
        {draft.stages.map((s, i) => {
          const mine = problems.filter((p) => p.stage === i);
          const err = (field: string) => mine.find((p) => p.field === field)?.message;
          const n = deals.get(s.id) ?? 0;
          return (
            <li key={s.id} aria-label={`Stage ${i + 1}: ${s.name}`} className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
              <div className="mb-1 flex items-center justify-between gap-2">
                <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
                  Stage {i + 1}
                  {n > 0 && <span className="ml-2 font-normal tracking-normal normal-case">{n} deal{n === 1 ? '' : 's'} here now.</span>}
                </p>
                <div className="flex gap-1">
                  <Button size="sm" variant="ghost" aria-label={`Move ${s.name || `stage ${i + 1}`} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                    <ArrowUp aria-hidden="true" className="size-4" />
                  </Button>
                  <Button size="sm" variant="ghost" aria-label={`Move ${s.name || `stage ${i + 1}`} down`} disabled={i === draft.stages.length - 1} onClick={() => move(i, 1)}>
                    <ArrowDown aria-hidden="true" className="size-4" />
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Remove ${s.name || `stage ${i + 1}`}`}
                    disabled={draft.stages.length === 1 || n > 0}
                    title={n > 0 ? `${n} deal${n === 1 ? '' : 's'} in this stage` : undefined}
                    onClick={() => edit({ ...draft, stages: renumber(draft.stages.filter((_, j) => j !== i)) })}
                  >
                    <X aria-hidden="true" className="size-4" />
                  </Button>
                </div>
              </div>
              <div className="flex flex-wrap items-start gap-3">
                <Input label={`Stage ${i + 1} name`} value={s.name} maxLength={80} onChange={(e) => editStage(i, { name: e.target.value })} error={err('name')} className="w-44" />
                <Input
                  label="Win probability (%)"
                  type="number"
                  min={0}
                  max={100}
                  step={1}
                  value={Number.isNaN(s.probability) ? '' : Math.round(s.probability * 100)}
                  onChange={(e) => editStage(i, { probability: e.target.value === '' ? Number.NaN : Number(e.target.value) / 100 })}
                  error={err('probability')}
                  className="w-32"
                />
                <Input
                  label="Stale after (days)"
                  type="number"
                  min={1}
                  max={3650}
                  step={1}
                  value={Number.isNaN(s.staleAfterDays) ? '' : s.staleAfterDays}
                  onChange={(e) => editStage(i, { staleAfterDays: e.target.value === '' ? Number.NaN : Number(e.target.value) })}
                  error={err('staleAfterDays')}
                  className="w-32"
                />
                <Select label="Outcome" value={s.outcome} onChange={(e) => editStage(i, { outcome: e.target.value as Stage['outcome'] })} error={err('outcome')} className="w-48">
                  {OUTCOMES.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </Select>
              </div>
              {s.outcome === 'open' && (
                <fieldset className="mt-2">
                  <legend className="text-xs font-medium text-slate-700 dark:text-slate-300">Evidence required to enter {s.name || `stage ${i + 1}`}</legend>
                  <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                    {kinds.map((k) => (
                      <Checkbox
                        key={k}
                        label={k}
                        checked={s.requiredEvidence.includes(k)}
                        onChange={(e) => editStage(i, { requiredEvidence: e.target.checked ? [...s.requiredEvidence, k] : s.requiredEvidence.filter((x) => x !== k) })}
                      />
                    ))}
                  </div>
                </fieldset>
              )}
            </li>
          );
        })}
      </ol>

      <div>
        <Button icon={<Plus aria-hidden="true" className="size-4" />} onClick={addStage}>
          Add stage
        </Button>
      </div>
      <div className="flex flex-wrap items-start gap-2">
        <Input
          label="New evidence kind"
          hint="Adds a checkbox to every stage, e.g. “security review”."
          value={newKind}
          maxLength={40}
          onChange={(e) => setNewKind(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              addKind();
            }
          }}
          className="w-56"
        />
        <Button onClick={addKind} disabled={!newKind.trim()} className="mt-5">
          Add kind
        </Button>
      </div>

      {global.length > 0 && (
        <ul role="alert" className="flex list-disc flex-col gap-0.5 pl-5 text-sm text-red-700 dark:text-red-400">
          {global.map((p) => (
            <li key={p.message}>{p.message}</li>
          ))}
        </ul>
      )}
      {status?.kind === 'error' && <ErrorBanner>{status.message}</ErrorBanner>}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant="primary" busy={saving} disabled={!dirty || problems.length > 0}>
          Save pipeline
        </Button>
        <Button disabled={!dirty} onClick={() => setEdited(null)}>
          Discard changes
        </Button>
        <p role="status" className="text-xs text-slate-600 dark:text-slate-400">
          {problems.length > 0 ? `Fix ${problems.length} problem${problems.length === 1 ? '' : 's'} to save.` : status?.kind === 'saved' && !dirty ? 'Saved' : dirty ? 'Unsaved changes' : ''}
        </p>
      </div>
    </form>
  );
}
