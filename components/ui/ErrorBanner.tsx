import type { ReactNode } from 'react';
import { toAppError } from '@/lib/errors';
import { cx } from './cx';

/** An error the user can act on; role=alert so it is announced when it appears. */
export function ErrorBanner({ children, onRetry, onDismiss, className }: { children: ReactNode; onRetry?: () => void; onDismiss?: () => void; className?: string }) {
  return (
    <div role="alert" className={cx('flex items-start gap-2 rounded-md border border-red-200 bg-red-50 p-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200', className)}>
      <div className="min-w-0 flex-1 break-words">{children}</div>
      {onRetry && (
        <button type="button" onClick={onRetry} className="shrink-0 rounded px-1 text-xs font-semibold underline focus-visible:outline-2 focus-visible:outline-blue-600">
          Retry
        </button>
      )}
      {onDismiss && (
        <button type="button" onClick={onDismiss} aria-label="Dismiss error" className="shrink-0 rounded px-1 text-xs focus-visible:outline-2 focus-visible:outline-blue-600">
          ✕
        </button>
      )}
    </div>
  );
}

/** A failure in words a rep can act on: storage errors (disk full, refused write) get a sentence, not Dexie's text. */
export function errorText(e: unknown): string {
  return toAppError(e).message;
}
