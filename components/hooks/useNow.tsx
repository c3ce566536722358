import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

/** A fixed time for tests and the bench; undefined means the real, ticking clock. */
const ClockContext = createContext<number | undefined>(undefined);

export function ClockProvider({ now, children }: { now?: number; children: ReactNode }) {
  return <ClockContext.Provider value={now}>{children}</ClockContext.Provider>;
}

/**
 * The current time, refreshed every minute so "5 min ago" and "overdue" stay true while the
 * panel sits open. Domain rules receive this value; they never read the clock themselves.
 */
export function useNow(intervalMs = 60_000): number {
  const fixed = useContext(ClockContext);
  const [now, setNow] = useState(() => fixed ?? Date.now());
  useEffect(() => {
    if (fixed !== undefined) return;
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [fixed, intervalMs]);
  return fixed ?? now;
}
