import { db } from '@/lib/db';
import type { SyncKind } from './types';

/**
 * In-flight marks: a record whose push was sent but not settled. A later run that finds one
 * looks before it creates (and before it deletes), because the CRM may have done the work
 * without us hearing back.
 *
 * One row per batch (`inflight:<crm>:<kind>:<row id>` → `{[localId]: first attempt's time}`), so
 * marking a batch is one put and settling it one delete. Earlier versions kept a single row per
 * kind (`inflight:<crm>:<kind>`), rewritten whole for every batch: 10,000 queued records cost
 * 100 rewrites of a 10,000-entry row. Such a row is still read, and split into batch-sized rows.
 */
export const markerRowKey = (pid: string, kind: SyncKind, rowId: string) => `inflight:${pid}:${kind}:${rowId}`;

export interface Marker {
  at: number;
  /** The row that holds it. */
  row: string;
}

/** `${kind}:${localId}` → its mark. */
export type Markers = Map<string, Marker>;

const LEGACY_ROW_SIZE = 100;

/** Every mark of one CRM, read in one go. */
export async function readMarkers(pid: string): Promise<Markers> {
  const prefix = `inflight:${pid}:`;
  const rows = await db.syncState.where('key').startsWith(prefix).toArray();
  const out: Markers = new Map();
  const legacy: string[] = [];
  const split: { key: string; value: Record<string, number> }[] = [];
  for (const r of rows) {
    const rest = r.key.slice(prefix.length);
    const entries = Object.entries(r.value as Record<string, number>);
    if (rest.includes(':')) {
      const kind = rest.slice(0, rest.indexOf(':'));
      for (const [id, at] of entries) out.set(`${kind}:${id}`, { at, row: r.key });
      continue;
    }
    legacy.push(r.key);
    for (let i = 0; i < entries.length; i += LEGACY_ROW_SIZE) {
      const part = entries.slice(i, i + LEGACY_ROW_SIZE);
      const key = markerRowKey(pid, rest as SyncKind, crypto.randomUUID());
      split.push({ key, value: Object.fromEntries(part) });
      for (const [id, at] of part) out.set(`${rest}:${id}`, { at, row: key });
    }
  }
  if (legacy.length) {
    await db.transaction('rw', db.syncState, async () => {
      await db.syncState.bulkPut(split);
      await db.syncState.bulkDelete(legacy);
    });
  }
  return out;
}

/**
 * Removes settled records from their rows; call inside a transaction on syncState. `owned` are
 * rows only the caller writes (a batch's own fresh row) with their full contents, so they need
 * no read; any other row is read, trimmed and written back.
 */
export async function unmark(ids: Map<string, string[]>, owned: Map<string, Record<string, number>>): Promise<void> {
  const drop: string[] = [];
  for (const [row, settled] of ids) {
    const cur = owned.get(row) ?? ((await db.syncState.get(row))?.value as Record<string, number> | undefined);
    if (!cur) continue;
    const left = { ...cur };
    for (const id of settled) delete left[id];
    if (Object.keys(left).length) await db.syncState.put({ key: row, value: left });
    else drop.push(row);
  }
  if (drop.length) await db.syncState.bulkDelete(drop);
}
