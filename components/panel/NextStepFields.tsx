import { Button, Input } from '@/components/ui';
import { fromDateInput, toDateInput } from '@/lib/domain/relative-time';
import { DUE_PRESETS, duePreset } from '@/lib/domain/task-presets';

export interface NextStepDraft {
  text: string;
  /** yyyy-mm-dd */
  date: string;
}

export function draftFrom(step: { text: string; dueAt: number } | undefined, fallbackDue: number): NextStepDraft {
  return { text: step?.text ?? '', date: toDateInput(step?.dueAt ?? fallbackDue) };
}

/** The draft as a NextStep, or the problem with it. */
export function parseDraft(d: NextStepDraft): { text: string; dueAt: number } | string {
  if (!d.text.trim()) return 'Say what happens next.';
  const dueAt = fromDateInput(d.date);
  if (dueAt === undefined) return 'Pick a date.';
  return { text: d.text.trim().slice(0, 500), dueAt };
}

/** What happens next, and when: free text plus a date with one-click presets. */
export function NextStepFields({ value, onChange, now, textLabel = 'Next step', dateLabel = 'Due', error }: { value: NextStepDraft; onChange: (v: NextStepDraft) => void; now: number; textLabel?: string; dateLabel?: string; error?: string | null }) {
  return (
    <fieldset className="flex flex-col gap-2">
      <Input label={textLabel} value={value.text} maxLength={500} placeholder="e.g. Send the pricing proposal" onChange={(e) => onChange({ ...value, text: e.target.value })} error={error} />
      <div className="flex flex-wrap items-end gap-2">
        <Input label={dateLabel} type="date" value={value.date} className="w-40" onChange={(e) => onChange({ ...value, date: e.target.value })} />
        <div role="group" aria-label="Date presets" className="flex flex-wrap gap-1 pb-0.5">
          {DUE_PRESETS.map((p) => (
            <Button key={p.id} size="sm" variant="ghost" onClick={() => onChange({ ...value, date: toDateInput(duePreset(p.id, now)) })}>
              {p.label}
            </Button>
          ))}
        </div>
      </div>
    </fieldset>
  );
}
