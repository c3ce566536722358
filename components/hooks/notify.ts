import { send } from '@/lib/messaging/client';

export type ChangedTable = 'tasks' | 'deals' | 'activities' | 'contacts' | 'settings' | 'outbox';

/**
 * Tells the background which tables an extension page just wrote, so reminders, nudges and
 * sync re-run. The write has already committed: a sleeping or absent background must not turn
 * it into an error, so failures are only logged.
 */
export async function notifyStoreChanged(tables: ChangedTable[]): Promise<void> {
  try {
    await send('storeChanged', { tables: [...new Set([...tables, 'outbox' as const])] });
  } catch (e) {
    console.warn('[threadline] storeChanged not delivered', e);
  }
}
