import { effectiveDueAt, type Settings, type Task } from '@/lib/model';
import { notifiedForCurrentDue } from '@/lib/db/mutations/tasks';
import { nextAllowedTime } from './calendar';

export const TASK_ALARM_PREFIX = 'task:';
export const alarmNameOf = (taskId: string): string => `${TASK_ALARM_PREFIX}${taskId}`;
export const taskIdOfAlarm = (name: string): string | undefined =>
  name.startsWith(TASK_ALARM_PREFIX) ? name.slice(TASK_ALARM_PREFIX.length) : undefined;

/**
 * Chrome caps an extension at 500 alarms (sync and nudges need a few): only the nearest
 * reminders get one. Each alarm's wake-up reconciles again and tops the set up.
 */
export const MAX_TASK_ALARMS = 200;
/** Chrome may round `when` a little; closer than this counts as already right. */
export const ALARM_TOLERANCE_MS = 1_000;

export interface AlarmLike {
  name: string;
  scheduledTime: number;
}

export interface ReminderPlan {
  /** Due now (quiet hours allowing) and not yet notified for this due time. */
  notifyNow: Task[];
  create: { name: string; when: number }[];
  clear: string[];
  /** Open tasks whose due time has passed, notified or not: the badge. */
  dueCount: number;
}

/** When a reminder may fire: its due time, pushed out of quiet hours and off non-working days. */
export function fireTimeOf(t: Pick<Task, 'dueAt' | 'snoozedUntil'>, r: Settings['reminders'], tz: string): number {
  return nextAllowedTime(effectiveDueAt(t), r, tz);
}

export function isLive(t: Task): boolean {
  return t.status === 'open' && !t.deletedAt;
}

/**
 * Pure: which alarms should exist for these tasks, which stored ones are stale or wrong, and
 * what is due right now (catch-up after the browser was closed included).
 */
export function planReminders(tasks: Task[], alarms: AlarmLike[], r: Settings['reminders'], tz: string, now: number): ReminderPlan {
  const notifyNow: Task[] = [];
  const future: { name: string; when: number }[] = [];
  let dueCount = 0;
  for (const t of tasks) {
    if (!isLive(t)) continue;
    if (effectiveDueAt(t) <= now) dueCount++;
    if (notifiedForCurrentDue(t)) continue;
    const when = fireTimeOf(t, r, tz);
    if (when <= now) notifyNow.push(t);
    else future.push({ name: alarmNameOf(t.id), when });
  }
  future.sort((a, b) => a.when - b.when || (a.name < b.name ? -1 : 1));
  const wanted = new Map(future.slice(0, MAX_TASK_ALARMS).map((a) => [a.name, a.when]));

  const have = new Map(alarms.filter((a) => taskIdOfAlarm(a.name) !== undefined).map((a) => [a.name, a.scheduledTime]));
  const clear = [...have.keys()].filter((n) => !wanted.has(n));
  const create: ReminderPlan['create'] = [];
  for (const [name, when] of wanted) {
    const at = have.get(name);
    if (at === undefined || Math.abs(at - when) > ALARM_TOLERANCE_MS) create.push({ name, when });
  }
  notifyNow.sort((a, b) => effectiveDueAt(a) - effectiveDueAt(b));
  return { notifyNow, create, clear, dueCount };
}
