import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '@/lib/db';
import type { EntityKind } from '@/lib/model';

export type SyncState = 'local' | 'queued' | 'synced' | 'failed';

export interface SyncView {
  /** Whether a CRM is connected at all: without one every record is simply local. */
  connected: boolean;
  stateOf: (entity: EntityKind, id: string, remoteIds: Record<string, string> | undefined) => SyncState;
}

/** syncState key under which sync records per-record push failures (`entity:id` → message). */
export const SYNC_FAILURES_KEY = 'failures';

/**
 * Sync state of a set of records: queued while an outbox row waits for them, failed when sync
 * recorded a failure, synced once a CRM id is known, local otherwise.
 */
export function useSyncStates(entity: EntityKind, ids: string[]): SyncView | undefined {
  return useLiveQuery(
    async () => {
      const [rows, failures, creds] = await Promise.all([
        ids.length ? db.outbox.where('[entity+entityId]').anyOf(ids.map((id) => [entity, id])).toArray() : [],
        db.syncState.get(SYNC_FAILURES_KEY),
        db.credentials.count(),
      ]);
      const queued = new Set(rows.map((r) => r.entityId));
      const failed = failuresOf(failures?.value);
      const connected = creds > 0;
      return {
        connected,
        stateOf: (kind: EntityKind, id: string, remoteIds: Record<string, string> | undefined): SyncState => {
          if (failed.has(`${kind}:${id}`)) return 'failed';
          if (remoteIds && Object.keys(remoteIds).length) return 'synced';
          if (connected && queued.has(id)) return 'queued';
          return 'local';
        },
      };
    },
    [entity, ids.join(',')],
  );
}

function failuresOf(v: unknown): Set<string> {
  if (v && typeof v === 'object') return new Set(Object.keys(v as Record<string, unknown>));
  return new Set();
}
