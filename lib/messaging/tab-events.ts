import { z } from 'zod';
import { Receipt } from './protocol';

/** Background → content script pushes. Content scripts parse them too: nothing is trusted blindly. */
export const TabEvent = z.discriminatedUnion('event', [
  z.object({ event: z.literal('receipt'), receipt: Receipt }),
  z.object({ event: z.literal('error'), message: z.string().max(500) }),
  z.object({ event: z.literal('refresh') }),
  /** The keyboard command asked to log before the first-run preview was confirmed: show it. */
  z.object({ event: z.literal('confirmLog') }),
]);
export type TabEvent = z.infer<typeof TabEvent>;

export function tabEvent(e: TabEvent): { tl: 1; tabEvent: TabEvent } {
  return { tl: 1, tabEvent: e };
}

export function parseTabEvent(msg: unknown): TabEvent | null {
  if (!msg || typeof msg !== 'object' || (msg as { tl?: unknown }).tl !== 1) return null;
  const r = TabEvent.safeParse((msg as { tabEvent?: unknown }).tabEvent);
  return r.success ? r.data : null;
}
