import { useCallback, useRef, useState } from 'react';
import { toAppError } from '@/lib/errors';
import { notifyStoreChanged, type ChangedTable } from './notify';

export interface Action<A extends unknown[]> {
  run: (...args: A) => Promise<boolean>;
  busy: boolean;
  error: string | null;
  clearError: () => void;
}

/**
 * Wraps a write: busy while it runs, the error kept for an ErrorBanner, and afterwards the
 * background hears which tables changed so reminders and sync re-run.
 */
export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<unknown>, tables: ChangedTable[] = []): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const key = tables.join(',');
  const run = useCallback(
    async (...args: A) => {
      setBusy(true);
      setError(null);
      try {
        await fnRef.current(...args);
        if (key) void notifyStoreChanged(key.split(',') as ChangedTable[]);
        return true;
      } catch (e) {
        // Storage failures become sentences a rep can act on (quota, conflicts).
        setError(toAppError(e).message);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [key],
  );
  return { run, busy, error, clearError: useCallback(() => setError(null), []) };
}
