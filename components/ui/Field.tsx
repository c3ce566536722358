import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { cx } from './cx';

const CONTROL =
  'w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 placeholder:text-slate-400 ' +
  'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-600 ' +
  'aria-[invalid=true]:border-red-500 disabled:opacity-60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100';

interface FieldShell {
  label: ReactNode;
  /** Visually hides the label but keeps it for screen readers (e.g. a search box with a placeholder). */
  hideLabel?: boolean;
  hint?: ReactNode;
  error?: string | null;
  className?: string;
}

/** Label, control, hint and error, wired with ids so assistive tech reads them together. */
export function Field({ label, hideLabel, hint, error, className, children }: FieldShell & { children: (ids: { id: string; describedBy?: string }) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cx('flex flex-col gap-1', className)}>
      <label htmlFor={id} className={cx('text-xs font-medium text-slate-700 dark:text-slate-300', hideLabel && 'sr-only')}>
        {label}
      </label>
      {children({ id, describedBy })}
      {hint && (
        <p id={hintId} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={errId} className="text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

export type InputProps = FieldShell & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> };

export function Input({ label, hideLabel, hint, error, className, ref, ...rest }: InputProps) {
  return (
    <Field label={label} hideLabel={hideLabel} hint={hint} error={error} className={className}>
      {({ id, describedBy }) => <input ref={ref} id={id} aria-describedby={describedBy} aria-invalid={error ? true : undefined} className={CONTROL} {...rest} />}
    </Field>
  );
}

export type SelectProps = FieldShell & SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> };

export function Select({ label, hideLabel, hint, error, className, children, ref, ...rest }: SelectProps) {
  return (
    <Field label={label} hideLabel={hideLabel} hint={hint} error={error} className={className}>
      {({ id, describedBy }) => (
        <select ref={ref} id={id} aria-describedby={describedBy} aria-invalid={error ? true : undefined} className={CONTROL} {...rest}>
          {children}
        </select>
      )}
    </Field>
  );
}

export type TextareaProps = FieldShell & TextareaHTMLAttributes<HTMLTextAreaElement> & { ref?: Ref<HTMLTextAreaElement> };

export function Textarea({ label, hideLabel, hint, error, className, ref, rows = 3, ...rest }: TextareaProps) {
  return (
    <Field label={label} hideLabel={hideLabel} hint={hint} error={error} className={className}>
      {({ id, describedBy }) => (
        <textarea ref={ref} id={id} rows={rows} aria-describedby={describedBy} aria-invalid={error ? true : undefined} className={CONTROL} {...rest} />
      )}
    </Field>
  );
}

export type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { label: ReactNode; hint?: ReactNode };

export function Checkbox({ label, hint, className, ...rest }: CheckboxProps) {
  const id = useId();
  return (
    <div className={cx('flex items-start gap-2', className)}>
      <input id={id} type="checkbox" className="mt-0.5 size-4 accent-blue-600 focus-visible:outline-2 focus-visible:outline-blue-600" {...rest} />
      <label htmlFor={id} className="text-sm">
        {label}
        {hint && <span className="block text-xs text-slate-500 dark:text-slate-400">{hint}</span>}
      </label>
    </div>
  );
}
