import { browser } from 'wxt/browser';
import { onAfterWrite, type WriteEvent } from '@/lib/background/hooks';
import { purgeRetiredNudges } from '@/lib/db/mutations';
import { runForCapture, runFullPass } from '@/lib/nudges';
import { onNotificationEvent } from './actions';
import { reconcileReminders, remindersSettled } from './service';
import { taskIdOfAlarm } from './schedule';

export { reconcileReminders } from './service';
export { onNotificationEvent, notificationActionHandler } from './actions';

export const NUDGE_ALARM = 'nudges';
export const NUDGE_PERIOD_MINUTES = 30;

let hookRegistered = false;

/** Writes that can change what the nudge rules conclude. */
const NUDGE_INPUTS = new Set(['deals', 'activities', 'contacts', 'settings']);

/**
 * Registers every reminder and nudge listener, synchronously (the worker may wake for any),
 * then reconciles once: a worker start is also when alarms may have been lost.
 */
export function wireReminders(): void {
  // Listeners return their promise (browsers ignore it; the fake browser's trigger awaits it).
  browser.alarms.onAlarm.addListener((alarm) => onAlarm(alarm.name));
  browser.notifications.onClicked.addListener((id) => guard(onNotificationEvent(id)));
  // Firefox has no notification buttons, and no such event.
  browser.notifications.onButtonClicked?.addListener((id, index) => guard(onNotificationEvent(id, index)));
  browser.runtime.onStartup.addListener(() => guard(startUp(true)));
  browser.runtime.onInstalled.addListener(() => guard(startUp(true)));
  // The hook registry outlives a re-wire (tests reset the fake browser, not the module).
  if (!hookRegistered) onAfterWrite(onWrite);
  hookRegistered = true;
  track(guard(startUp(false)));
}

const inFlight = new Set<Promise<unknown>>();
function track(p: Promise<unknown>): void {
  inFlight.add(p);
  void p.finally(() => inFlight.delete(p));
}

/** Resolves once the work a wake-up started on its own has finished (tests; a clean shutdown). */
export async function idle(): Promise<void> {
  while (inFlight.size || running) await Promise.all([...inFlight, running]);
  await remindersSettled();
}

/**
 * Browser start, install and update always run a complete nudge pass (time passed, alarms may
 * be gone). A bare worker start happens on every wake-up, so it only reconciles, unless the
 * last complete pass is a day old.
 */
async function startUp(browserStart: boolean): Promise<void> {
  await ensureNudgeAlarm();
  // Catch-up first: what fell due while the browser was closed notifies once, grouped.
  await reconcileReminders();
  if (!browserStart && !(await completePassDue())) return;
  await guard(fullPass(true));
  await reconcileReminders();
}

async function completePassDue(): Promise<boolean> {
  const last = Number((await browser.storage.local.get(LAST_COMPLETE_KEY))[LAST_COMPLETE_KEY] ?? 0);
  return Date.now() - last >= COMPLETE_PASS_EVERY_MS;
}

async function ensureNudgeAlarm(): Promise<void> {
  const a = await browser.alarms.get(NUDGE_ALARM);
  if (!a) await browser.alarms.create(NUDGE_ALARM, { delayInMinutes: 1, periodInMinutes: NUDGE_PERIOD_MINUTES });
}

/** A complete pass at least this often even if the browser never restarts. */
export const COMPLETE_PASS_EVERY_MS = 24 * 60 * 60_000;
const LAST_COMPLETE_KEY = 'nudges:lastCompletePass';

export async function onAlarm(name: string): Promise<void> {
  if (name === NUDGE_ALARM) {
    await guard(fullPass(await completePassDue()));
    await guard(reconcileReminders());
  } else if (taskIdOfAlarm(name) !== undefined) {
    await guard(reconcileReminders());
  }
}

export async function onWrite(e: WriteEvent): Promise<void> {
  if (e.captured) await guard(runForCapture(e.captured));
  // A side-panel edit names tables, not records: re-judge everything.
  else if (e.tables.some((t) => NUDGE_INPUTS.has(t))) await guard(fullPass(true));
  await reconcileReminders();
}

let running: Promise<unknown> | undefined;
let again: 'periodic' | 'complete' | undefined;

/**
 * One pass at a time; writes during a pass ask for exactly one more, not one each (and a
 * complete one if any asker wanted that).
 */
function fullPass(complete = false): Promise<unknown> {
  if (running) {
    if (complete || !again) again = complete ? 'complete' : 'periodic';
    return running;
  }
  running = (async () => {
    try {
      let next: boolean | undefined = complete;
      while (next !== undefined) {
        again = undefined;
        await runFullPass(Date.now(), { complete: next });
        if (next) {
          // Daily at most, like the complete pass: old nudge tombstones go (see purgeRetiredNudges).
          await guard(purgeRetiredNudges(Date.now()));
          await browser.storage.local.set({ [LAST_COMPLETE_KEY]: Date.now() });
        }
        next = again === undefined ? undefined : again === 'complete';
      }
    } finally {
      running = undefined;
    }
  })();
  return running;
}

async function guard(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    console.error('[threadline] reminders', err);
  }
}
