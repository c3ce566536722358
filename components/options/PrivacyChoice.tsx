import { useId } from 'react';
import type { PrivacyLevel } from '@/lib/model';
import { cx } from '@/components/ui';

/** What each level stores, in the words a rep would use. Ordered from least to most. */
export const PRIVACY_LEVELS: { value: PrivacyLevel; label: string; stores: string }[] = [
  { value: 'metadata', label: 'Metadata only', stores: 'Who wrote to whom and when, and a link back to the thread. No subject, no text.' },
  { value: 'subject', label: 'Metadata and subject', stores: 'Adds the subject line, so the timeline reads "Pricing for Q3" instead of "Email".' },
  {
    value: 'snippet',
    label: 'Metadata, subject and snippet (recommended)',
    stores: 'Adds the short preview your mail app shows (at most 500 characters), enough to recall a message.',
  },
  { value: 'body', label: 'Full message body (opt-in)', stores: 'Stores the whole text of each logged message. Choose it only if you need it.' },
];

export function PrivacyChoice({ value, onChange, legend = 'Privacy level' }: { value: PrivacyLevel; onChange: (v: PrivacyLevel) => void; legend?: string }) {
  const name = useId();
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      {PRIVACY_LEVELS.map((l) => {
        const id = `${name}-${l.value}`;
        return (
          <div
            key={l.value}
            className={cx(
              'flex items-start gap-2 rounded-md border p-2',
              value === l.value ? 'border-blue-500 bg-blue-50 dark:border-blue-400 dark:bg-blue-950/40' : 'border-slate-200 dark:border-slate-800',
            )}
          >
            <input
              id={id}
              type="radio"
              name={name}
              value={l.value}
              checked={value === l.value}
              onChange={() => onChange(l.value)}
              aria-describedby={`${id}-desc`}
              className="mt-1 size-4 accent-blue-600 focus-visible:outline-2 focus-visible:outline-blue-600"
            />
            <label htmlFor={id} className="flex flex-col">
              <span className="text-sm font-medium">{l.label}</span>
              <span id={`${id}-desc`} className="text-xs text-slate-600 dark:text-slate-400">
                {l.stores}
              </span>
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}
