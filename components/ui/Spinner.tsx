import { cx } from './cx';

export function Spinner({ className }: { className?: string }) {
  return <span aria-hidden="true" className={cx('inline-block size-4 animate-spin rounded-full border-2 border-blue-600 border-t-transparent', className)} />;
}

/** A polite status line: screen readers hear it without the focus moving. */
export function Loading({ label = 'Loading…', className }: { label?: string; className?: string }) {
  return (
    <p role="status" className={cx('flex items-center gap-2 p-2 text-sm text-slate-500 dark:text-slate-400', className)}>
      <Spinner />
      {label}
    </p>
  );
}

/** Determinate progress for long work (imports, exports, sync). */
export function Progress({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div className="flex flex-col gap-1">
      <div className="flex justify-between text-xs text-slate-600 dark:text-slate-400">
        <span>{label}</span>
        <span>{pct}%</span>
      </div>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} className="h-1.5 overflow-hidden rounded bg-slate-200 dark:bg-slate-800">
        <div className="h-full bg-blue-600 transition-[width]" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
