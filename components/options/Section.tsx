import type { ReactNode } from 'react';

/** One settings section: a landmark with a heading, reachable from the page's navigation. */
export function Section({ id, title, description, children, actions }: { id: string; title: string; description?: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} tabIndex={-1} className="scroll-mt-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-slate-800 dark:bg-slate-900">
      <header className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={`${id}-title`} className="text-base font-semibold">
            {title}
          </h2>
          {description && <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">{description}</p>}
        </div>
        {actions}
      </header>
      <div className="flex flex-col gap-4">{children}</div>
    </section>
  );
}

/** A polite "Saved" note, so keyboard and screen-reader users hear that a change stuck. */
export function SavedNote({ show }: { show: boolean }) {
  return (
    <p role="status" aria-live="polite" className="min-h-4 text-xs text-green-700 dark:text-green-400">
      {show ? 'Saved' : ''}
    </p>
  );
}
