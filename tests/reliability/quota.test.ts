import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { logTabFromCommand } from '@/lib/background';
import { handlers } from '@/lib/background/handlers';
import { setTabContext } from '@/lib/background/tab-context';
import { capturePage } from '@/lib/capture';
import { db } from '@/lib/db';
import { createContact, createTask, ensureDefaults, saveSettings } from '@/lib/db/mutations';
import { toAppError } from '@/lib/errors';
import { exportBackup, restoreBackup } from '@/lib/io';
import { createRouter } from '@/lib/messaging/router';
import { ME, T0, event, thread } from '../capture/fixtures';
import { quotaAt, settle, snapshot, type Injection } from './faults';
import { duplicatedKeys, integrityProblems } from './invariants';

const QUOTA_MESSAGE = toAppError(new DOMException('', 'QuotaExceededError')).message;
const TAB = 7;
const fromTab = { id: fakeBrowser.runtime.id, tab: { id: TAB, url: 'https://mail.google.com/mail/u/0/#inbox/thread-abc' }, url: 'https://mail.google.com/mail/u/0/#inbox/thread-abc' };

let fault: Injection | undefined;
beforeEach(() => {
  // The router logs every non-AppError failure; here they are the point.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  fault?.restore();
  fault = undefined;
});

/** What was stored before the failing log: another page already logged, a manual contact, a task. */
async function seedEarlierWork(): Promise<void> {
  await ensureDefaults();
  await saveSettings({ selfEmails: [ME], previewAcknowledged: true });
  await capturePage(event(), { now: T0 });
  const kim = await createContact({ emails: ['kim@initech.example'], name: 'Kim', source: { origin: 'manual' } }, { now: T0 });
  await createTask({ kind: 'follow_up', title: 'Call Kim', dueAt: T0 + 86_400_000, contactId: kim.id }, { now: T0 });
}

async function clearStore(): Promise<void> {
  await Promise.all(db.tables.map((t) => t.clear()));
}

const route = createRouter(handlers, { extensionId: fakeBrowser.runtime.id });
const logFromPage = () => route({ tl: 1, name: 'logPage', request: { context: thread() } }, fromTab);

describe('storage full while logging a thread', () => {
  it('at every write of the capture: the page gets the quota error, nothing is half-written, earlier work is intact, and one retry logs it exactly once', async () => {
    let k = 0;
    let failedRuns = 0;
    let lost = 0;
    let duplicated = 0;
    for (;;) {
      k++;
      await clearStore();
      await seedEarlierWork();
      const before = await snapshot();

      fault = quotaAt(k);
      const res = await logFromPage();
      await settle();
      fault.restore();
      if (!fault.fired) {
        // k is past the capture's last write: the whole capture fits in k-1 writes.
        expect(res).toMatchObject({ ok: true, value: { added: 3 } });
        break;
      }
      failedRuns++;
      expect(res).toEqual({ ok: false, error: { code: 'quota_exceeded', message: QUOTA_MESSAGE } });
      const after = await snapshot();
      expect(after, `write ${k}: the failed log changed the store`).toEqual(before);
      lost += Object.keys(before).reduce((n, t) => n + Math.max(0, before[t]!.length - after[t]!.length), 0);

      // Space is freed; the rep clicks again: it lands once (Jane came from the earlier event; Bob
      // is new), and a third click adds nothing.
      const retry = await logFromPage();
      expect(retry, `write ${k}: retry`).toMatchObject({ ok: true, value: { added: 3, existing: 0, contactsCreated: 1 } });
      const again = await logFromPage();
      expect(again).toMatchObject({ ok: true, value: { added: 0, existing: 3 } });
      expect(await integrityProblems(), `write ${k}`).toEqual([]);
      duplicated += await duplicatedKeys();
      expect(await db.activities.where('externalKey').startsWith('gmail:thread-abc:').count()).toBe(3);
    }
    console.log(`[reliability] quota during capture: ${JSON.stringify({ faultPoints: failedRuns, failedLogs: failedRuns, retriesLoggedOnce: failedRuns, lost, duplicated })}`);
    // A thread of 3 messages, 2 new contacts, a company, timeline links and outbox rows: many writes.
    expect(failedRuns).toBeGreaterThan(10);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
  });

  it('the keyboard shortcut path pushes the same message to the page’s button', async () => {
    await seedEarlierWork();
    await setTabContext(TAB, thread());
    const pushed: unknown[] = [];
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation((async (_tab: number, msg: unknown) => void pushed.push(msg)) as never);
    const before = await snapshot();
    fault = quotaAt(3);
    await logTabFromCommand(TAB);
    await settle();
    expect(fault.fired).toBe(true);
    expect(pushed).toEqual([{ tl: 1, tabEvent: { event: 'error', message: QUOTA_MESSAGE } }]);
    fault.restore();
    expect(await snapshot()).toEqual(before);
  });

  it('a restore that runs out of space leaves the data it was replacing untouched', async () => {
    await seedEarlierWork();
    const backup = await exportBackup({ now: T0 });
    await capturePage(thread(), { now: T0 });
    const before = await snapshot();
    // Past the clears, in the middle of re-adding the records.
    fault = quotaAt(12);
    const err = await restoreBackup(backup, { now: T0 }).then(() => null, (e: unknown) => e);
    await settle();
    expect(fault.fired).toBe(true);
    expect(toAppError(err)).toMatchObject({ code: 'quota_exceeded', message: QUOTA_MESSAGE });
    fault.restore();
    expect(await snapshot()).toEqual(before);
  });
});
