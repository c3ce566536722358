import { useId, useState, type KeyboardEvent } from 'react';
import { X } from 'lucide-react';
import { Button } from '@/components/ui';

export interface ListEditorProps {
  label: string;
  hint?: string;
  items: string[];
  placeholder?: string;
  /** Normalises one entry, or returns an error message for it. */
  parse: (raw: string) => { ok: true; value: string } | { ok: false; error: string };
  onChange: (items: string[]) => void | Promise<unknown>;
  /** Singular noun for buttons and announcements, e.g. "address". */
  noun: string;
}

/**
 * An editable list of short values (addresses, domains). Pasting several values separated by
 * commas, spaces or new lines adds them all; a bad one is named and nothing is added.
 */
export function ListEditor({ label, hint, items, placeholder, parse, onChange, noun }: ListEditorProps) {
  const id = useId();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);

  const add = async () => {
    const parts = draft.split(/[\s,;]+/).filter(Boolean);
    if (!parts.length) return;
    const next = [...items];
    for (const raw of parts) {
      const r = parse(raw);
      if (!r.ok) {
        setError(`"${raw}": ${r.error}`);
        return;
      }
      if (!next.includes(r.value)) next.push(r.value);
    }
    setError(null);
    setDraft('');
    await onChange(next);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void add();
    }
  };

  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={`${id}-input`} className="text-sm font-medium">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
      <ul aria-label={`${label} list`} className="flex flex-wrap gap-1.5">
        {items.length === 0 && <li className="text-xs text-slate-500 italic dark:text-slate-400">None yet</li>}
        {items.map((item) => (
          <li key={item} className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pr-1 pl-2.5 text-xs dark:bg-slate-800">
            <span className="break-all">{item}</span>
            <button
              type="button"
              aria-label={`Remove ${item}`}
              onClick={() => void onChange(items.filter((x) => x !== item))}
              className="rounded-full p-0.5 text-slate-500 hover:bg-slate-200 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-slate-700 dark:hover:text-white"
            >
              <X aria-hidden="true" className="size-3" />
            </button>
          </li>
        ))}
      </ul>
      <div className="flex gap-2">
        <input
          id={`${id}-input`}
          value={draft}
          placeholder={placeholder}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKey}
          aria-invalid={error ? true : undefined}
          aria-describedby={[hint && `${id}-hint`, error && `${id}-err`].filter(Boolean).join(' ') || undefined}
          className="w-full min-w-0 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm placeholder:text-slate-400 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-600 aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950"
        />
        <Button onClick={() => void add()} disabled={!draft.trim()}>
          Add {noun}
        </Button>
      </div>
      {error && (
        <p id={`${id}-err`} role="alert" className="text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
