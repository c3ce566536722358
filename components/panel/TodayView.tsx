import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { AlarmClock, Check, ExternalLink, PartyPopper } from 'lucide-react';
import { Badge, Button, EmptyState, ErrorBanner, Loading, cx } from '@/components/ui';
import { useAction } from '@/components/hooks/useAction';
import { useNow } from '@/components/hooks/useNow';
import { db } from '@/lib/db';
import { completeTask, snoozeTask } from '@/lib/db/mutations';
import { dueTasks, getSettings } from '@/lib/db/queries';
import { endOfDay, relativeTime, startOfDay } from '@/lib/domain/relative-time';
import { effectiveDueAt, type Task } from '@/lib/model';
import { resolveZone } from '@/lib/reminders/calendar';
import { SNOOZE_LABELS, snoozeUntil, type SnoozePreset } from '@/lib/reminders/snooze';
import { TASK_KIND_LABEL, TASK_KIND_TONE } from './labels';
import { openSourceUrl } from './open-source';

/** Overdue and due-today tasks and every nudge, each with Done, Snooze and Open. */
export function TodayView({ onOpenContact }: { onOpenContact: (id: string) => void }) {
  const now = useNow();
  const until = endOfDay(now);
  const data = useLiveQuery(async () => {
    const tasks = await dueTasks(until);
    const ids = [...new Set(tasks.map((t) => t.contactId).filter((x): x is string => Boolean(x)))];
    const contacts = await db.contacts.bulkGet(ids);
    const names = new Map(contacts.filter((c) => c && !c.deletedAt).map((c) => [c!.id, c!.name ?? c!.emails[0]!]));
    return { tasks, names };
  }, [until]);

  if (!data) return <Loading label="Loading today…" />;
  const dayStart = startOfDay(now);
  const overdue = data.tasks.filter((t) => effectiveDueAt(t) < dayStart);
  const today = data.tasks.filter((t) => effectiveDueAt(t) >= dayStart);
  if (!data.tasks.length)
    return (
      <EmptyState icon={<PartyPopper className="size-6" />} title="Nothing due today">
        Follow-ups, next steps and nudges show up here when they are due. Open a thread or event to see who is on it.
      </EmptyState>
    );
  return (
    <div className="flex flex-col gap-3">
      {overdue.length > 0 && <TaskGroup title="Overdue" tasks={overdue} names={data.names} now={now} onOpenContact={onOpenContact} />}
      {today.length > 0 && <TaskGroup title="Due today" tasks={today} names={data.names} now={now} onOpenContact={onOpenContact} />}
    </div>
  );
}

function TaskGroup({ title, tasks, names, now, onOpenContact }: { title: string; tasks: Task[]; names: Map<string, string>; now: number; onOpenContact: (id: string) => void }) {
  return (
    <section aria-label={title} className="flex flex-col gap-1">
      <h2 className="text-sm font-semibold">
        {title} <span className="font-normal text-slate-500">({tasks.length})</span>
      </h2>
      <ul className="flex flex-col gap-1.5">
        {tasks.map((t) => (
          <li key={t.id}>
            <TaskRow task={t} who={t.contactId ? names.get(t.contactId) : undefined} now={now} onOpenContact={onOpenContact} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function TaskRow({ task, who, now, onOpenContact }: { task: Task; who?: string; now: number; onOpenContact: (id: string) => void }) {
  const [snoozing, setSnoozing] = useState(false);
  const done = useAction(() => completeTask(task.id), ['tasks', 'activities']);
  // The same zone as the notification's "Snooze until tomorrow": the rep's setting, read at the
  // click so a snooze never lands in the browser's zone because settings were still loading.
  const snooze = useAction(async (p: SnoozePreset) => {
    const tz = resolveZone((await getSettings()).reminders.timeZone);
    await snoozeTask(task.id, snoozeUntil(p, now, tz));
  }, ['tasks']);
  const [openError, setOpenError] = useState<string | null>(null);
  const due = effectiveDueAt(task);
  const open = async () => {
    setOpenError(null);
    try {
      if (task.sourceUrl) await openSourceUrl(task.sourceUrl);
      else if (task.contactId) onOpenContact(task.contactId);
    } catch (e) {
      setOpenError(e instanceof Error ? e.message : String(e));
    }
  };
  const canOpen = Boolean(task.sourceUrl || task.contactId);
  return (
    <article aria-label={task.title} className="flex flex-col gap-1 rounded-md border border-slate-200 p-2 dark:border-slate-800">
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="text-sm font-medium break-words">{task.title}</p>
          <p className="flex flex-wrap items-center gap-1 text-xs text-slate-500 dark:text-slate-400">
            <Badge tone={TASK_KIND_TONE[task.kind]}>{TASK_KIND_LABEL[task.kind]}</Badge>
            {who && <span>{who}</span>}
            <span className={cx(due < now && 'text-red-700 dark:text-red-400')}>· due {relativeTime(due, now)}</span>
          </p>
        </div>
      </div>
      <div className="flex flex-wrap gap-1">
        <Button size="sm" variant="primary" busy={done.busy} icon={<Check aria-hidden="true" className="size-3.5" />} onClick={() => void done.run()} aria-label={`Done: ${task.title}`}>
          Done
        </Button>
        <Button size="sm" icon={<AlarmClock aria-hidden="true" className="size-3.5" />} aria-expanded={snoozing} onClick={() => setSnoozing((v) => !v)} aria-label={`Snooze: ${task.title}`}>
          Snooze
        </Button>
        {canOpen && (
          <Button size="sm" variant="ghost" icon={<ExternalLink aria-hidden="true" className="size-3.5" />} onClick={() => void open()} aria-label={`Open: ${task.title}`}>
            Open
          </Button>
        )}
      </div>
      {snoozing && (
        <div role="group" aria-label={`Snooze ${task.title} until`} className="flex flex-wrap gap-1">
          {(Object.keys(SNOOZE_LABELS) as SnoozePreset[]).map((p) => (
            <Button key={p} size="sm" variant="ghost" busy={snooze.busy} onClick={() => void snooze.run(p)}>
              {SNOOZE_LABELS[p]}
            </Button>
          ))}
        </div>
      )}
      {(done.error || snooze.error || openError) && <ErrorBanner>{done.error ?? snooze.error ?? openError}</ErrorBanner>}
    </article>
  );
}
