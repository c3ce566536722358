import { Pipeline, type Stage } from '@/lib/model';

/** Where a pipeline draft is wrong: `stage` indexes the draft's stage list. */
export interface PipelineProblem {
  stage?: number;
  field: string;
  message: string;
}

/** Deals per stage id, so edits that would strand a deal are refused. */
export type DealsPerStage = Map<string, number>;

/**
 * Everything that makes a draft unsafe to save: the zod schema's rules, plus those a list
 * editor can break (duplicate names, no open stage, a stage with deals removed or closed).
 */
export function pipelineProblems(draft: Pipeline, saved: Pipeline | undefined, deals: DealsPerStage): PipelineProblem[] {
  const out: PipelineProblem[] = [];
  const parsed = Pipeline.safeParse(draft);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const [head, index, field] = i.path;
      if (head === 'stages' && typeof index === 'number') out.push({ stage: index, field: String(field ?? 'stage'), message: humanize(String(field ?? ''), i.message) });
      else out.push({ field: String(head ?? 'pipeline'), message: humanize(String(head ?? ''), i.message) });
    }
  }
  const names = new Map<string, number>();
  for (const s of draft.stages) names.set(s.name.trim().toLowerCase(), (names.get(s.name.trim().toLowerCase()) ?? 0) + 1);
  draft.stages.forEach((s, i) => {
    const key = s.name.trim().toLowerCase();
    if (key && names.get(key)! > 1) out.push({ stage: i, field: 'name', message: `Another stage is also called "${s.name.trim()}".` });
  });
  if (!draft.stages.some((s) => s.outcome === 'open')) out.push({ field: 'stages', message: 'Keep at least one open stage: new deals start in one.' });
  const kept = new Set(draft.stages.map((s) => s.id));
  for (const s of saved?.stages ?? []) {
    const n = deals.get(s.id) ?? 0;
    if (n && !kept.has(s.id)) out.push({ field: 'stages', message: `“${s.name}” still holds ${n} deal${n === 1 ? '' : 's'}; move them before removing it.` });
  }
  draft.stages.forEach((s, i) => {
    const before = saved?.stages.find((x) => x.id === s.id);
    const n = deals.get(s.id) ?? 0;
    if (before && n && before.outcome !== s.outcome) out.push({ stage: i, field: 'outcome', message: `${n} deal${n === 1 ? ' is' : 's are'} in this stage, so its outcome cannot change.` });
  });
  return out;
}

function humanize(field: string, message: string): string {
  switch (field) {
    case 'name':
      return 'Give it a name (at most 80 characters).';
    case 'probability':
      return 'Win probability must be between 0% and 100%.';
    case 'staleAfterDays':
      return 'Stale limit must be a whole number of days from 1 to 3650.';
    case 'requiredEvidence':
      return 'Evidence kinds are short words, at most 40 characters each.';
    default:
      return message;
  }
}

/** A stage id that is stable, readable in exports, and unused in this pipeline. */
export function newStageId(name: string, taken: Stage[]): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'stage';
  let id = base;
  for (let n = 2; taken.some((s) => s.id === id); n++) id = `${base}-${n}`;
  return id;
}

/** Orders follow list position, so moving a row is the only way to reorder. */
export function renumber(stages: Stage[]): Stage[] {
  return stages.map((s, i) => ({ ...s, order: i }));
}
