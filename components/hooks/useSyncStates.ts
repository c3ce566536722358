import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '@/lib/db';
import type { EntityKind } from '@/lib/model';
import { CONNECTED_KEY, type ItemSyncState } from '@/lib/sync/status';
import { keys } from '@/lib/sync/store';

export type SyncState = ItemSyncState;

export interface SyncView {
  /** The connected CRM, if any: without one every record is simply local. */
  providerId?: string;
  stateOf: (entity: EntityKind, id: string, remoteIds: Record<string, string> | undefined) => SyncState;
}

/**
 * Sync state for a page of records in three index reads, with the same rules as lib/sync's
 * per-record `syncStateOf`: failed when sync recorded a refusal, queued while an outbox row waits
 * or no CRM id is known yet, synced once the connected CRM's id is stored.
 */
export function useSyncStates(entity: EntityKind, ids: string[]): SyncView | undefined {
  return useLiveQuery(
    async () => {
      const conn = (await db.syncState.get(CONNECTED_KEY))?.value as { providerId?: string } | undefined;
      const pid = conn?.providerId;
      if (!pid) return { stateOf: () => 'local' as const };
      const [rows, fails] = await Promise.all([
        ids.length ? db.outbox.where('[entity+entityId]').anyOf(ids.map((id) => [entity, id])).toArray() : [],
        ids.length ? db.syncState.bulkGet(ids.map((id) => keys.failure(pid, entity, id))) : [],
      ]);
      const queued = new Set(rows.map((r) => r.entityId));
      const failed = new Set(ids.filter((_, i) => fails[i]));
      return {
        providerId: pid,
        stateOf: (kind: EntityKind, id: string, remoteIds: Record<string, string> | undefined): SyncState => {
          if (kind !== entity) return 'local';
          if (failed.has(id)) return 'failed';
          if (queued.has(id)) return 'queued';
          return remoteIds?.[pid] ? 'synced' : 'queued';
        },
      };
    },
    [entity, ids.join(',')],
  );
}
