import { browser } from 'wxt/browser';
import { onAfterWrite, type WriteEvent } from '@/lib/background/hooks';
import { runForCapture, runFullPass } from '@/lib/nudges';
import { onNotificationEvent } from './actions';
import { reconcileReminders } from './service';
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
  browser.alarms.onAlarm.addListener((alarm) => void onAlarm(alarm.name));
  browser.notifications.onClicked.addListener((id) => void guard(onNotificationEvent(id)));
  // Firefox has no notification buttons, and no such event.
  browser.notifications.onButtonClicked?.addListener((id, index) => void guard(onNotificationEvent(id, index)));
  browser.runtime.onStartup.addListener(() => void guard(startUp()));
  browser.runtime.onInstalled.addListener(() => void guard(startUp()));
  // The hook registry outlives a re-wire (tests reset the fake browser, not the module).
  if (!hookRegistered) onAfterWrite(onWrite);
  hookRegistered = true;
  void guard(startUp());
}

async function startUp(): Promise<void> {
  await ensureNudgeAlarm();
  await reconcileReminders();
}

async function ensureNudgeAlarm(): Promise<void> {
  const a = await browser.alarms.get(NUDGE_ALARM);
  if (!a) await browser.alarms.create(NUDGE_ALARM, { delayInMinutes: 1, periodInMinutes: NUDGE_PERIOD_MINUTES });
}

export async function onAlarm(name: string): Promise<void> {
  if (name === NUDGE_ALARM) {
    await guard(fullPass());
    await guard(reconcileReminders());
  } else if (taskIdOfAlarm(name) !== undefined) {
    await guard(reconcileReminders());
  }
}

export async function onWrite(e: WriteEvent): Promise<void> {
  if (e.captured) await guard(runForCapture(e.captured));
  else if (e.tables.some((t) => NUDGE_INPUTS.has(t))) await guard(fullPass());
  await reconcileReminders();
}

let running: Promise<unknown> | undefined;
let again = false;

/** One full pass at a time; writes during a pass ask for exactly one more, not one each. */
function fullPass(): Promise<unknown> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        await runFullPass();
      } while (again);
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
