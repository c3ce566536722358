import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CapturePreview, Receipt } from '@/lib/messaging/protocol';
import { createApp, type Send } from '@/lib/inpage/app';
import { gmailUi } from '@/lib/inpage/anchors';
import { chipText, createChips } from '@/lib/inpage/chips';
import { createHost } from '@/lib/inpage/dom';
import { createLogButton, describeState, LOG_LABEL } from '@/lib/inpage/log-button';
import { showPreview } from '@/lib/inpage/preview-dialog';
import { readTabEvent } from '@/lib/inpage/tab-events';
import { PageContext } from '@/lib/model';
import { flush, openShadowRoots, shadowOf } from './helpers';

const receipt = (patch: Partial<Receipt> = {}): Receipt => ({
  key: 'gmail:t1:', added: 3, existing: 0, contactsCreated: 2, contactIds: [], skipped: [], needsDeal: [], suggestions: [], state: 'logged', ...patch,
});

const ctx = (patch: Partial<PageContext> = {}): PageContext =>
  PageContext.parse({
    site: 'gmail', view: 'thread', key: 't1', url: 'https://mail.google.com/mail/u/0/#inbox/t1', subject: 'Pilot',
    people: [{ email: 'jane@acme.com', role: 'from', name: 'Jane' }, { email: 'me@x.io', role: 'to', self: true }],
    ...patch,
  });

const preview = (patch: Partial<CapturePreview> = {}): CapturePreview => ({
  privacy: 'snippet', activities: [{ kind: 'email', occurredAt: 1, subject: 'Pilot', snippet: 'Hello', participants: ['jane@acme.com'] }],
  contactsToCreate: ['jane@acme.com'], skipped: [{ email: 'me@x.io', reason: 'self' }], acknowledged: false, ...patch,
});

function page(): void {
  document.body.innerHTML = `<div role="main"><div class="ha"><h2 class="hP" data-legacy-thread-id="t1">Pilot</h2></div>
    <div class="adn"><span class="gD" email="jane@acme.com" name="Jane">Jane</span><div class="a3s">mail <span email="jane@acme.com">quoted</span></div></div></div>`;
}

beforeEach(() => {
  openShadowRoots();
  document.body.innerHTML = '';
  document.querySelectorAll('threadline-preview').forEach((e) => e.remove());
});

describe('describeState', () => {
  it.each([
    [{ s: 'idle' }, ''],
    [{ s: 'logging' }, 'Logging…'],
    [{ s: 'failed', reason: 'disk full' }, 'Failed: disk full'],
    [{ s: 'done', fresh: true, receipt: receipt() }, 'Logged: 3 new'],
    [{ s: 'done', fresh: true, receipt: receipt({ added: 0, existing: 3 }) }, 'Logged: 0 new, 3 already logged'],
    [{ s: 'done', fresh: true, receipt: receipt({ state: 'queued', added: 1 }) }, 'Queued for sync: 1 new'],
    [{ s: 'done', fresh: true, receipt: receipt({ state: 'synced', added: 1 }) }, 'Synced: 1 new'],
    [{ s: 'done', fresh: true, receipt: receipt({ needsDeal: ['a'] }) }, 'Logged: 3 new · pick a deal in the side panel'],
    [{ s: 'done', fresh: false, receipt: receipt({ added: 0, existing: 1 }) }, 'Logged (1 item)'],
  ] as const)('%j → %s', (st, text) => {
    expect(describeState(st as never)).toBe(text);
  });
});

describe('the Log button', () => {
  it('has exactly the accessible name "Log to Threadline", and shows retry only after a failure', () => {
    const b = createLogButton(document, () => undefined);
    const [button, status, retry] = [...b.root.querySelectorAll('button, [role=status]')] as HTMLElement[];
    expect(button!.getAttribute('aria-label')).toBe(LOG_LABEL);
    expect(LOG_LABEL).toBe('Log to Threadline');
    expect(status!.getAttribute('role')).toBe('status');
    expect((retry as HTMLButtonElement).hidden).toBe(true);
    b.render({ s: 'failed', reason: 'quota' });
    expect((retry as HTMLButtonElement).hidden).toBe(false);
    expect(status!.textContent).toBe('Failed: quota');
    b.render({ s: 'logging' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
  });

  it('lives in a closed shadow root the page cannot open', () => {
    vi.restoreAllMocks();
    const { host } = createHost(document, 'threadline-log', '', 'log');
    expect(host.shadowRoot).toBeNull();
  });
});

describe('the preview', () => {
  it('renders page text as text, never as markup', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const p = showPreview(document, preview({ activities: [{ kind: 'email', occurredAt: 1, subject: evil, snippet: evil, participants: ['jane@acme.com'] }] }));
    expect(p.root.querySelector('img')).toBeNull();
    expect(p.root.textContent).toContain(`subject: ${evil}`);
    expect(p.root.textContent).toContain('New contacts: jane@acme.com');
    expect(p.root.textContent).toContain('me@x.io (self)');
    (p.root.querySelectorAll('button')[0] as HTMLButtonElement).click(); // Cancel
    expect(await p.done).toBe(false);
    expect(p.host.isConnected).toBe(false);
  });
});

describe('createApp', () => {
  function setup(answers: Partial<Record<string, (req: unknown) => unknown>> = {}) {
    const calls: string[] = [];
    const timers: (() => void)[] = [];
    const send = (async (name: string, req: unknown) => {
      calls.push(name);
      const a = answers[name];
      if (a) return a(req);
      if (name === 'receiptFor') return null;
      if (name === 'lookupPeople') return { people: [] };
      if (name === 'previewPage') return preview();
      if (name === 'logPage') return receipt();
      return { ok: true };
    }) as Send;
    const app = createApp({ doc: document, uis: [gmailUi], send, setTimeout: (fn) => timers.push(fn) });
    return { app, calls, timers, status: () => app.button.root.querySelector('[role=status]')!.textContent };
  }
  const confirmPreview = async () => {
    await vi.waitFor(() => expect(document.querySelector('threadline-preview')).not.toBeNull());
    const buttons = shadowOf(document.querySelector('threadline-preview')).querySelectorAll('button');
    (buttons[1] as HTMLButtonElement).click();
  };

  it('mounts the button right after the subject and reports inPageUi', () => {
    page();
    const { app } = setup();
    const out = app.render(ctx());
    expect(out?.inPageUi).toBe(true);
    expect(document.querySelector('h2.hP')!.nextSibling).toBe(app.button.host);
    app.render(ctx());
    expect(document.querySelectorAll('threadline-log')).toHaveLength(1);
  });

  it('mounts nothing and reports inPageUi:false when the anchors are missing', () => {
    document.body.innerHTML = '<div role="main"><p>unknown layout</p></div>';
    const { app } = setup();
    expect(app.render(ctx())?.inPageUi).toBe(false);
    expect(document.querySelector('threadline-log')).toBeNull();
  });

  it('mounts nothing for views that are not loggable', () => {
    page();
    const { app } = setup();
    const list = ctx({ view: 'list' });
    expect(app.render(list)).toEqual(list);
    expect(document.querySelector('threadline-log')).toBeNull();
  });

  it('shows the preview before the first log, then logs on Confirm', async () => {
    page();
    const { app, calls, status } = setup();
    app.render(ctx());
    const done = app.log();
    await confirmPreview();
    await done;
    expect(calls.filter((c) => ['previewPage', 'acknowledgePreview', 'logPage'].includes(c))).toEqual(['previewPage', 'acknowledgePreview', 'logPage']);
    expect(status()).toBe('Logged: 3 new');
    // Acknowledged: the next click logs straight away.
    await app.log();
    expect(calls.filter((c) => c === 'previewPage')).toHaveLength(1);
  });

  it('logs nothing when the preview is cancelled', async () => {
    page();
    const { app, calls } = setup();
    app.render(ctx());
    const done = app.log();
    await vi.waitFor(() => expect(document.querySelector('threadline-preview')).not.toBeNull());
    (shadowOf(document.querySelector('threadline-preview')).querySelectorAll('button')[0] as HTMLButtonElement).click();
    await done;
    expect(calls).not.toContain('logPage');
    expect(calls).not.toContain('acknowledgePreview');
  });

  it('shows the failure reason and a retry that logs again', async () => {
    page();
    let fail = true;
    const { app, status } = setup({
      previewPage: () => preview({ acknowledged: true }),
      logPage: () => {
        if (fail) throw new Error('The browser is out of storage space.');
        return receipt();
      },
    });
    app.render(ctx());
    await app.log();
    expect(status()).toBe('Failed: The browser is out of storage space.');
    const retry = app.button.root.querySelectorAll('button')[1] as HTMLButtonElement;
    expect(retry.hidden).toBe(false);
    fail = false;
    retry.click();
    await vi.waitFor(() => expect(status()).toBe('Logged: 3 new'));
    expect(retry.hidden).toBe(true);
  });

  it('tells the rep to reload when the extension was updated under the page', async () => {
    page();
    const { app, status } = setup({ previewPage: () => { throw new Error('Extension context invalidated.'); } });
    app.render(ctx());
    await app.log();
    expect(status()).toMatch(/reload the page/i);
  });

  it('turns "queued for sync" into "synced" when the CRM catches up', async () => {
    page();
    let synced = false;
    const { app, status, timers } = setup({
      previewPage: () => preview({ acknowledged: true }),
      logPage: () => receipt({ state: 'queued' }),
      receiptFor: () => (synced ? receipt({ added: 0, existing: 3, state: 'synced' }) : null),
    });
    app.render(ctx());
    await flush();
    await app.log();
    expect(status()).toBe('Queued for sync: 3 new');
    synced = true;
    timers.at(-1)!();
    await vi.waitFor(() => expect(status()).toBe('Synced: 3 new'));
  });

  it('shows an earlier log after a reload, from the store', async () => {
    page();
    const { app, status } = setup({ receiptFor: () => receipt({ added: 0, existing: 2 }) });
    app.render(ctx());
    await vi.waitFor(() => expect(status()).toBe('Logged (2 items)'));
  });

  it('applies pushed receipts for this page only, and the keyboard command’s preview request', async () => {
    page();
    const { app, status, calls } = setup();
    app.render(ctx());
    app.onTabEvent({ event: 'receipt', receipt: receipt({ key: 'gmail:other:' }) });
    expect(status()).toBe('');
    app.onTabEvent({ event: 'receipt', receipt: receipt({ added: 2 }) });
    expect(status()).toBe('Logged: 2 new');
    app.onTabEvent({ event: 'error', message: 'Nothing to log' });
    expect(status()).toBe('Failed: Nothing to log');
    app.onTabEvent({ event: 'confirmLog' });
    await confirmPreview();
    await vi.waitFor(() => expect(calls).toContain('logPage'));
  });

  it('puts a stage chip beside each known person in the header, never in bodies, once', async () => {
    page();
    const { app } = setup({ lookupPeople: () => ({ people: [{ email: 'jane@acme.com', contactId: 'c1', stage: 'lead', dealStage: 'Discovery' }] }) });
    app.render(ctx());
    await vi.waitFor(() => expect(document.querySelectorAll('threadline-chip')).toHaveLength(1));
    const chip = document.querySelector('threadline-chip')!;
    expect(chip.previousElementSibling?.classList.contains('gD')).toBe(true);
    expect(shadowOf(chip).querySelector('span')!.textContent).toBe('Discovery');
    app.render(ctx());
    await flush();
    expect(document.querySelectorAll('threadline-chip')).toHaveLength(1);
  });
});

describe('chips', () => {
  it('labels by deal stage, else lifecycle stage', () => {
    expect(chipText({ email: 'a@b.co', contactId: '1', stage: 'mql' })).toBe('MQL');
    expect(chipText({ email: 'a@b.co', contactId: '1', stage: 'customer' })).toBe('Customer');
    expect(chipText({ email: 'a@b.co', contactId: '1', stage: 'lead', dealStage: 'Proposal' })).toBe('Proposal');
    expect(chipText({ email: 'a@b.co', contactId: '1' })).toBe('Contact');
  });

  it('re-adds a chip the site removed, and caps how many it places', () => {
    document.body.innerHTML = Array.from({ length: 150 }, () => '<span email="a@b.co">A</span>').join('');
    const apply = createChips(document);
    const find = () => [...document.querySelectorAll('[email]')];
    expect(apply([{ email: 'a@b.co', contactId: '1' }], find)).toBe(100);
    expect(document.querySelectorAll('threadline-chip')).toHaveLength(100);
    document.querySelector('threadline-chip')!.remove();
    apply([{ email: 'a@b.co', contactId: '1' }], find);
    expect(document.querySelectorAll('threadline-chip')).toHaveLength(100);
  });
});

describe('readTabEvent', () => {
  it('accepts our pushes and drops anything else', () => {
    expect(readTabEvent({ tl: 1, tabEvent: { event: 'refresh' } })).toEqual({ event: 'refresh' });
    expect(readTabEvent({ tl: 1, tabEvent: { event: 'confirmLog' } })).toEqual({ event: 'confirmLog' });
    expect(readTabEvent({ tl: 1, tabEvent: { event: 'error', message: 'x'.repeat(900) } })).toEqual({ event: 'error', message: 'x'.repeat(500) });
    expect(readTabEvent({ tl: 1, tabEvent: { event: 'receipt', receipt: receipt() } })).toEqual({ event: 'receipt', receipt: receipt() });
    expect(readTabEvent({ tl: 1, tabEvent: { event: 'receipt', receipt: { key: 1 } } })).toBeNull();
    expect(readTabEvent({ tl: 1, tabEvent: { event: 'hack' } })).toBeNull();
    expect(readTabEvent({ tabEvent: { event: 'refresh' } })).toBeNull();
    expect(readTabEvent(null)).toBeNull();
  });
});

describe('isolation from the site', () => {
  it('keeps key presses on our controls away from the site’s keyboard shortcuts', () => {
    const b = createLogButton(document, () => undefined);
    document.body.append(b.host);
    const seen: string[] = [];
    const onKey = (e: Event) => seen.push((e as KeyboardEvent).key);
    document.addEventListener('keydown', onKey);
    b.root.querySelector('button')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'e', bubbles: true, composed: true }));
    document.removeEventListener('keydown', onKey);
    expect(seen).toEqual([]);
  });
});
