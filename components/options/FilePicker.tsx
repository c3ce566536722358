import { useId, type Ref } from 'react';

/** A labelled native file input: keyboard-operable everywhere, and Playwright's setInputFiles finds it. */
export function FilePicker({ label, hint, accept, onFile, disabled, ref }: { label: string; hint?: string; accept: string; onFile: (f: File) => void; disabled?: boolean; ref?: Ref<HTMLInputElement> }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        ref={ref}
        id={id}
        type="file"
        accept={accept}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const f = e.target.files?.[0];
          // Cleared so choosing the same file again after fixing it fires a change.
          e.target.value = '';
          if (f) onFile(f);
        }}
        className="text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-50 focus-visible:outline-2 focus-visible:outline-blue-600 dark:file:border-slate-700 dark:file:bg-slate-900 dark:file:text-slate-100"
      />
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
    </div>
  );
}
