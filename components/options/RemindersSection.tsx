import { useId, useMemo, useState } from 'react';
import type { Settings } from '@/lib/model';
import { Checkbox, ErrorBanner, Input } from '@/components/ui';
import { SavedNote, Section } from './Section';
import { useSaveSettings } from './useSaveSettings';

type Reminders = Settings['reminders'];
type RuleKey = keyof Reminders['enabled'];

const RULES: { key: RuleKey; label: string; hint: string }[] = [
  { key: 'noReply', label: 'No reply', hint: 'You wrote last and nobody answered within the no-reply window.' },
  { key: 'staleDeal', label: 'Stale deal', hint: 'An open deal sat in its stage longer than the stage’s stale limit.' },
  { key: 'overdueNextStep', label: 'Overdue next step', hint: 'A deal’s next step passed its date.' },
  { key: 'reEngage', label: 'Re-engage', hint: 'A contact went quiet for the re-engage period.' },
  { key: 'missingNextStep', label: 'Missing next step', hint: 'An open deal has no next step.' },
];

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

export function isTimeZone(z: string): boolean {
  if (!z) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: z });
    return true;
  } catch {
    return false;
  }
}

/** A whole-number field that saves only valid values and says why it refused the rest. */
function DaysInput({ label, hint, value, min, max, onSave }: { label: string; hint: string; value: number; min: number; max: number; onSave: (n: number) => Promise<boolean> }) {
  const [draft, setDraft] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  const commit = async () => {
    const n = Number(draft);
    if (!/^\d+$/.test(draft.trim()) || n < min || n > max) {
      setError(`Enter a whole number from ${min} to ${max}.`);
      return;
    }
    setError(null);
    if (n !== value) await onSave(n);
  };
  return (
    <Input
      label={label}
      hint={hint}
      error={error}
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => void commit()}
      onKeyDown={(e) => e.key === 'Enter' && void commit()}
      className="max-w-56"
    />
  );
}

function TimeZoneInput({ value, onSave }: { value: string; onSave: (z: string) => Promise<boolean> }) {
  const zoneList = useMemo(zones, []);
  const listId = useId();
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const commit = async () => {
    const z = draft.trim();
    if (!isTimeZone(z)) {
      setError('Not a time zone name. Use a name like Europe/Berlin, or leave it empty.');
      return;
    }
    setError(null);
    if (z !== value) await onSave(z);
  };
  return (
    <div>
      <Input
        label="Time zone"
        hint={`For business days and quiet hours. Empty uses this browser’s zone (${browserZone}).`}
        error={error}
        list={listId}
        value={draft}
        placeholder={browserZone}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => void commit()}
        onKeyDown={(e) => e.key === 'Enter' && void commit()}
        className="max-w-72"
      />
      <datalist id={listId}>
        {zoneList.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </div>
  );
}

export function RemindersSection({ settings }: { settings: Settings }) {
  const { save, error, clearError } = useSaveSettings();
  const [saved, setSaved] = useState(false);
  const r = settings.reminders;
  const update = async (patch: Partial<Reminders>) => {
    const ok = await save({ reminders: { ...r, ...patch } });
    setSaved(ok);
    return ok;
  };

  const toggleDay = (d: number, on: boolean) => {
    const days = on ? [...new Set([...r.workingDays, d])].sort((a, b) => a - b) : r.workingDays.filter((x) => x !== d);
    if (!days.length) return;
    void update({ workingDays: days });
  };

  return (
    <Section id="reminders" title="Reminders" description="When Threadline nudges you, and when it keeps quiet.">
      {error && <ErrorBanner onDismiss={clearError}>{error}</ErrorBanner>}
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">Nudges</legend>
        {RULES.map((rule) => (
          <Checkbox
            key={rule.key}
            label={rule.label}
            hint={rule.hint}
            checked={r.enabled[rule.key]}
            onChange={(e) => void update({ enabled: { ...r.enabled, [rule.key]: e.target.checked } })}
          />
        ))}
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        <DaysInput
          key={`nr-${r.noReplyBusinessDays}`}
          label="No-reply after (business days)"
          hint="Working days without an answer before a no-reply nudge."
          value={r.noReplyBusinessDays}
          min={1}
          max={60}
          onSave={(noReplyBusinessDays) => update({ noReplyBusinessDays })}
        />
        <DaysInput
          key={`re-${r.reEngageDays}`}
          label="Re-engage after (days)"
          hint="Quiet days before a contact is worth a check-in."
          value={r.reEngageDays}
          min={7}
          max={730}
          onSave={(reEngageDays) => update({ reEngageDays })}
        />
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">Quiet hours</legend>
        <Checkbox
          label="Hold notifications during quiet hours"
          hint="Nudges wait until the quiet hours end; nothing is lost."
          checked={r.quietHours !== null}
          onChange={(e) => void update({ quietHours: e.target.checked ? { start: '20:00', end: '08:00' } : null })}
        />
        {r.quietHours && (
          <div className="flex flex-wrap gap-3">
            <Input
              label="Quiet from"
              type="time"
              value={r.quietHours.start}
              onChange={(e) => e.target.value && void update({ quietHours: { ...r.quietHours!, start: e.target.value } })}
              className="w-36"
            />
            <Input
              label="Quiet until"
              type="time"
              value={r.quietHours.end}
              onChange={(e) => e.target.value && void update({ quietHours: { ...r.quietHours!, end: e.target.value } })}
              className="w-36"
            />
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend className="mb-1 text-sm font-medium">Working days</legend>
        <p className="mb-2 text-xs text-slate-500 dark:text-slate-400">Business-day counts skip the other days. At least one day stays selected.</p>
        <div className="flex flex-wrap gap-x-4 gap-y-2">
          {DAYS.map((name, d) => (
            <Checkbox key={name} label={name} checked={r.workingDays.includes(d)} onChange={(e) => toggleDay(d, e.target.checked)} />
          ))}
        </div>
      </fieldset>
      {/* Keyed by the stored zone: a restore or another tab resets the draft by remounting it. */}
      <TimeZoneInput key={r.timeZone} value={r.timeZone} onSave={(timeZone) => update({ timeZone })} />
      <SavedNote show={saved} />
    </Section>
  );
}
