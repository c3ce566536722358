import { useVirtualizer } from '@tanstack/react-virtual';
import { useLiveQuery } from 'dexie-react-hooks';
import { ArrowRightLeft, CalendarDays, CheckCircle2, Mail, Phone, StickyNote, type LucideIcon } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Badge, Button, EmptyState, Loading, cx, type BadgeTone } from '@/components/ui';
import { useSyncStates, type SyncState } from '@/components/hooks/useSyncStates';
import { timelineOf } from '@/lib/db/queries';
import { relativeTime } from '@/lib/domain/relative-time';
import type { Activity, ActivityKind } from '@/lib/model';
import { ACTIVITY_LABEL } from './labels';

export const TIMELINE_PAGE = 50;
/**
 * Rows have one fixed height (title and detail are each one truncated line): measuring rows as
 * they mount forces a layout per row, which was most of the cost of switching contacts.
 */
export const ROW_HEIGHT = 52;

const ICON: Record<ActivityKind, LucideIcon> = {
  email: Mail,
  meeting: CalendarDays,
  note: StickyNote,
  call: Phone,
  stage_change: ArrowRightLeft,
  task_done: CheckCircle2,
};

const SYNC_TONE: Record<SyncState, BadgeTone> = { local: 'neutral', queued: 'amber', synced: 'green', failed: 'red' };
const SYNC_LABEL: Record<SyncState, string> = { local: 'Local', queued: 'Queued', synced: 'Synced', failed: 'Sync failed' };

const FILTERS: (ActivityKind | 'all')[] = ['all', 'email', 'meeting', 'note', 'call', 'stage_change', 'task_done'];

/**
 * A contact's activities, newest first. Pages come from `timelineOf` (an index range scan) and
 * only the rows in view are in the DOM, so 10,000 entries scroll like 10.
 */
export function Timeline({ contactId, now }: { contactId: string; now: number }) {
  const [kind, setKind] = useState<ActivityKind | 'all'>('all');
  const [pages, setPages] = useState(1);
  useEffect(() => setPages(1), [contactId, kind]);
  const limit = pages * TIMELINE_PAGE;
  // One live query over everything loaded so far: a write anywhere (capture, sync) shows at once.
  const page = useLiveQuery(() => timelineOf(contactId, { limit, ...(kind === 'all' ? {} : { kinds: [kind] }) }), [contactId, kind, limit]);
  // Keep the previous rows on screen while a longer page loads, so scrolling never blanks.
  const last = useRef(page);
  if (page) last.current = page;
  const shown = page ?? (last.current && pages > 1 ? last.current : undefined);
  const items = shown?.items ?? [];
  const hasMore = Boolean(shown?.next);
  const ids = useMemo(() => items.map((a) => a.id), [items]);
  const sync = useSyncStates('activity', ids);

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => items[i]?.id ?? i,
  });
  const vItems = virtual.getVirtualItems();
  const lastIndex = vItems.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && page && lastIndex >= items.length - 10) setPages((p) => p + 1);
  }, [lastIndex, hasMore, items.length, page]);

  return (
    <section aria-label="Timeline" className="flex flex-col gap-2">
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold">Timeline</h2>
      </div>
      <div role="group" aria-label="Filter timeline by kind" className="flex flex-wrap gap-1">
        {FILTERS.map((k) => (
          <button
            key={k}
            type="button"
            aria-pressed={kind === k}
            onClick={() => setKind(k)}
            className={cx(
              'rounded-full border px-2 py-0.5 text-[11px] font-medium focus-visible:outline-2 focus-visible:outline-blue-600',
              kind === k ? 'border-blue-600 bg-blue-600 text-white dark:border-blue-400 dark:bg-blue-500 dark:text-slate-950' : 'border-slate-300 text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800',
            )}
          >
            {k === 'all' ? 'All' : ACTIVITY_LABEL[k]}
          </button>
        ))}
      </div>
      {!shown ? (
        <Loading label="Loading timeline…" />
      ) : items.length === 0 ? (
        <EmptyState title={kind === 'all' ? 'No activity yet' : `No ${ACTIVITY_LABEL[kind].toLowerCase()} entries`}>
          {kind === 'all' ? 'Log a thread, add a note or log a call to start the history.' : 'Try another filter.'}
        </EmptyState>
      ) : (
        <div ref={scroller} data-testid="timeline-scroller" className="max-h-[60vh] min-h-24 overflow-y-auto rounded-md border border-slate-200 dark:border-slate-800" tabIndex={0} aria-label="Timeline entries, scrollable">
          <ol aria-label="Timeline entries" className="relative w-full" style={{ height: virtual.getTotalSize() }}>
            {vItems.map((v) => {
              const a = items[v.index]!;
              return (
                <li
                  key={v.key}
                  data-index={v.index}
                  data-activity-id={a.id}
                  aria-setsize={hasMore ? -1 : items.length}
                  aria-posinset={v.index + 1}
                  className="absolute top-0 left-0 w-full overflow-hidden border-b border-slate-100 px-2 py-1.5 dark:border-slate-800"
                  style={{ height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                >
                  <Entry a={a} now={now} state={sync?.stateOf('activity', a.id, a.remoteIds)} />
                </li>
              );
            })}
          </ol>
          {hasMore && (
            <div className="p-2 text-center">
              <Button size="sm" variant="ghost" onClick={() => setPages((p) => p + 1)}>
                Load older entries
              </Button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function Entry({ a, now, state }: { a: Activity; now: number; state?: SyncState }) {
  const Icon = ICON[a.kind];
  const title = a.subject || (a.kind === 'email' ? '(no subject)' : ACTIVITY_LABEL[a.kind]);
  return (
    <div className="flex gap-2">
      <Icon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-slate-500 dark:text-slate-400" />
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline justify-between gap-2">
          <p className="truncate text-xs font-medium">
            <span className="sr-only">{ACTIVITY_LABEL[a.kind]}: </span>
            {title}
          </p>
          <time dateTime={new Date(a.occurredAt).toISOString()} title={new Date(a.occurredAt).toLocaleString()} className="shrink-0 text-[11px] text-slate-500 dark:text-slate-400">
            {relativeTime(a.occurredAt, now)}
          </time>
        </div>
        <div className="flex items-center gap-1">
          {(a.snippet || a.body) && <p className="min-w-0 flex-1 truncate text-[11px] text-slate-600 dark:text-slate-400">{a.snippet ?? a.body}</p>}
          {a.kind === 'stage_change' && a.meta?.reason && <p className="min-w-0 flex-1 truncate text-[11px] text-slate-600 dark:text-slate-400">Why: {a.meta.reason}</p>}
          {state && (
            <Badge tone={SYNC_TONE[state]} className="ml-auto" title={`Sync: ${SYNC_LABEL[state]}`}>
              {SYNC_LABEL[state]}
            </Badge>
          )}
        </div>
      </div>
    </div>
  );
}
