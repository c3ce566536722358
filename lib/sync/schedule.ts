import { browser } from 'wxt/browser';
import { onAfterWrite, type WriteEvent } from '@/lib/background/hooks';
import { syncNow } from './service';

export const SYNC_ALARM = 'sync';
export const SYNC_PERIOD_MINUTES = 5;
/** Captures come in clusters (a thread, then its neighbour): one run for the cluster. */
const AFTER_WRITE_DELAY_MS = 3_000;

let hookRegistered = false;
let pending: ReturnType<typeof setTimeout> | undefined;

const SYNCED_TABLES = new Set(['contacts', 'companies', 'deals', 'activities', 'tasks', 'outbox']);

function soon(): void {
  if (pending) clearTimeout(pending);
  pending = setTimeout(() => {
    pending = undefined;
    void syncNow().catch((e) => console.error('[threadline] sync failed', e));
  }, AFTER_WRITE_DELAY_MS);
}

export function onWrite(e: WriteEvent): void {
  if (e.captured || e.tables.some((t) => SYNCED_TABLES.has(t))) soon();
}

async function ensureAlarm(): Promise<void> {
  // Alarms can vanish on browser restart or update: re-create when missing.
  if (!(await browser.alarms.get(SYNC_ALARM))) await browser.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_PERIOD_MINUTES, delayInMinutes: 1 });
}

/**
 * Every sync trigger, registered synchronously: the 5-minute alarm, writes (after a capture),
 * and the network coming back. Single flight lives in `syncNow` and the engine's lease.
 */
export function wireSync(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void syncNow().catch((e) => console.error('[threadline] sync failed', e));
  });
  if (!hookRegistered) onAfterWrite(onWrite);
  hookRegistered = true;
  const g = globalThis as { addEventListener?: (type: string, fn: () => void) => void };
  g.addEventListener?.('online', () => void syncNow().catch(() => undefined));
  void ensureAlarm().catch(() => undefined);
}
