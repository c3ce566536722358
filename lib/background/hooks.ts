import type { PageContext } from '@/lib/model';

export interface WriteEvent {
  /** Set when the write was a capture: nudges re-run for just those people. */
  captured?: PageContext;
  tables: string[];
}

type Listener = (e: WriteEvent) => Promise<void> | void;
const listeners: Listener[] = [];

/**
 * Reminders, nudges and sync subscribe here, so capture knows none of them.
 * A failing listener never fails the write that already committed.
 */
export function onAfterWrite(l: Listener): void {
  listeners.push(l);
}

export async function afterWrite(e: WriteEvent): Promise<void> {
  for (const l of listeners) {
    try {
      await l(e);
    } catch (err) {
      console.error('[threadline] after-write listener failed', err);
    }
  }
}
