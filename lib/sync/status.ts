import { db } from '@/lib/db';
import { keys } from './store';
import type { SyncKind } from './types';

/** `{providerId, accountName}` of the connected CRM, written by the background; no secret. */
export const CONNECTED_KEY = 'connected';

export type ItemSyncState = 'local' | 'queued' | 'synced' | 'failed';

/**
 * What a timeline badge shows for one record: read-only, safe in `useLiveQuery` on extension
 * pages: it never opens the credentials table.
 */
export async function syncStateOf(entity: SyncKind, id: string): Promise<ItemSyncState> {
  const conn = (await db.syncState.get(CONNECTED_KEY))?.value as { providerId: string } | undefined;
  if (!conn) return 'local';
  const pid = conn.providerId;
  if (await db.syncState.get(keys.failure(pid, entity, id))) return 'failed';
  if ((await db.outbox.where('[entity+entityId]').equals([entity, id]).count()) > 0) return 'queued';
  const rec = (await db.table(entity === 'company' ? 'companies' : entity === 'activity' ? 'activities' : `${entity}s`).get(id)) as { remoteIds?: Record<string, string> } | undefined;
  return rec?.remoteIds?.[pid] ? 'synced' : 'queued';
}
