import { useCallback, useEffect, useState } from 'react';
import { send } from '@/lib/messaging/client';
import type { ResponseOf } from '@/lib/messaging/protocol';

export type Overview = ResponseOf<'syncStatus'>;

/**
 * The background's view of sync, polled while the page is open: faster while a run is going.
 * Pages never read the credentials table; this is how they learn what is connected.
 */
export function useSyncOverview(intervalMs = 3_000) {
  const [data, setData] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(async () => {
    try {
      setData(await send('syncStatus', {}));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);
  useEffect(() => {
    let alive = true;
    let t: ReturnType<typeof setTimeout>;
    const tick = async () => {
      await refresh();
      if (alive) t = setTimeout(tick, data?.running ? Math.min(intervalMs, 1_000) : intervalMs);
    };
    void tick();
    return () => {
      alive = false;
      clearTimeout(t);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refresh, intervalMs, data?.running]);
  return { data, error, refresh };
}
