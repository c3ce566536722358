import type { Receipt } from '@/lib/messaging/protocol';
import type { TabEvent } from '@/lib/messaging/tab-events';

/**
 * The background's pushes, checked by hand: zod stays out of content scripts to keep them
 * small. Only our own extension can message a content script, so a shape check is enough.
 */
export function readTabEvent(msg: unknown): TabEvent | null {
  if (!msg || typeof msg !== 'object' || (msg as { tl?: unknown }).tl !== 1) return null;
  const e = (msg as { tabEvent?: unknown }).tabEvent as Record<string, unknown> | undefined;
  if (!e || typeof e !== 'object') return null;
  switch (e.event) {
    case 'refresh':
    case 'confirmLog':
      return { event: e.event };
    case 'error':
      return typeof e.message === 'string' ? { event: 'error', message: e.message.slice(0, 500) } : null;
    case 'receipt': {
      const r = e.receipt as Receipt | undefined;
      return r && typeof r.key === 'string' && typeof r.added === 'number' ? { event: 'receipt', receipt: { ...r, needsDeal: r.needsDeal ?? [], suggestions: r.suggestions ?? [] } } : null;
    }
    default:
      return null;
  }
}
