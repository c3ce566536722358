import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handlers } from '@/lib/background/handlers';
import { db } from '@/lib/db';
import { MAX_MESSAGE_BYTES, protocol, type MessageName } from '@/lib/messaging/protocol';
import { createRouter, type Handlers, type Sender } from '@/lib/messaging/router';

/**
 * The message boundary, case by case (issue #7): every message into the background is checked
 * by the router before a handler runs, and every refusal is a typed value
 * `{ok:false, error:{code, message}}`, never an exception. router.test.ts has the basics;
 * this pins each case to every message name, the documented limits and the real handlers.
 */

const EXT = fakeBrowser.runtime.id;
const PAGE = 'https://mail.google.com/mail/u/0/#inbox/abc';
const contentScript: Sender = { id: EXT, tab: { id: 7, url: PAGE }, url: PAGE, frameId: 0 };
const extensionPage: Sender = { id: EXT, url: `chrome-extension://${EXT}/options.html` };
const NAMES = Object.keys(protocol) as MessageName[];
const ROOT = resolve(__dirname, '../..');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : /\.(ts|tsx)$/.test(n) ? [join(dir, n)] : []));
}

/** Spies for every message name: a refusal must never reach one. */
function spies() {
  const calls: string[] = [];
  const hs = Object.fromEntries(NAMES.map((n) => [n, vi.fn(async () => { calls.push(n); return { ok: true }; })])) as unknown as Handlers;
  return { hs, calls };
}

async function expectRefused(res: Promise<unknown> | unknown, code: string) {
  const r = (await res) as { ok: boolean; error?: { code: string; message: string } };
  expect(r).toMatchObject({ ok: false, error: { code } });
  expect(typeof r.error?.message).toBe('string');
  expect(r.error!.message.length).toBeGreaterThan(0);
}

describe('wrong shape', () => {
  it.each(NAMES)('%s: a request of the wrong type is bad_request and never reaches the handler', async (name) => {
    const { hs, calls } = spies();
    const route = createRouter(hs, { extensionId: EXT });
    for (const request of [null, 'x', 42, [1], true]) await expectRefused(route({ tl: 1, name, request }, extensionPage), 'bad_request');
    expect(calls).toEqual([]);
  });

  it.each([
    ['pageContext', { context: { site: 'gmail', view: 'thread', key: 'k', url: PAGE, people: [{ email: 'not-an-email', role: 'from' }] } }, 'context.people.0.email'],
    ['pageContext', { context: { site: 'myspace', view: 'thread', key: 'k', url: PAGE, people: [] } }, 'context.site'],
    ['pageContext', { context: { site: 'gmail', view: 'thread', key: 'k', url: PAGE, people: [], subject: 's'.repeat(1001) } }, 'context.subject'],
    ['lookupPeople', { emails: Array.from({ length: 501 }, (_, i) => `p${i}@x.org`) }, 'emails'],
    ['receiptFor', { key: 'k'.repeat(301) }, 'key'],
    ['storeChanged', { tables: ['credentials'] }, 'tables.0'],
    ['notificationAction', { notificationId: 'task:1', buttonIndex: 2 }, 'buttonIndex'],
    ['logPage', { tabId: 1.5 }, 'tabId'],
    ['connectCrm', { providerId: 'salesforce', secret: '12345678' }, 'providerId'],
  ] as const)('%s with a bad field names the field (%#)', async (name, request, field) => {
    const { hs, calls } = spies();
    const res = await createRouter(hs, { extensionId: EXT })({ tl: 1, name, request }, contentScript);
    await expectRefused(res, 'bad_request');
    expect((res as { error: { message: string } }).error.message).toContain(field);
    expect(calls).toEqual([]);
  });

  it('a message without the envelope is bad_request', async () => {
    const route = createRouter(spies().hs, { extensionId: EXT });
    for (const raw of [undefined, null, 'ping', 7, [], {}, { name: 'ping', request: {} }, { tl: 2, name: 'ping', request: {} }, { tl: '1', name: 'ping', request: {} }]) {
      await expectRefused(route(raw, extensionPage), 'bad_request');
    }
  });
});

describe(`oversized payloads (limit: MAX_MESSAGE_BYTES = ${MAX_MESSAGE_BYTES} bytes of UTF-8 JSON)`, () => {
  // {"key":"…"} is 10 bytes around the key.
  const keyOf = (bytes: number, ch = 'x') => ch.repeat(bytes - 10);

  it('is 512 KiB', () => {
    expect(MAX_MESSAGE_BYTES).toBe(512 * 1024);
  });

  it('a request of exactly the limit is parsed; one byte more is too_large before parsing', async () => {
    const { hs, calls } = spies();
    const route = createRouter(hs, { extensionId: EXT });
    // At the limit the size check passes and the schema (key ≤ 300) refuses it instead.
    await expectRefused(route({ tl: 1, name: 'receiptFor', request: { key: keyOf(MAX_MESSAGE_BYTES) } }, contentScript), 'bad_request');
    await expectRefused(route({ tl: 1, name: 'receiptFor', request: { key: keyOf(MAX_MESSAGE_BYTES + 1) } }, contentScript), 'too_large');
    expect(calls).toEqual([]);
  });

  it('counts bytes, not characters: 200k euro signs (600 KB) are too_large', async () => {
    const route = createRouter(spies().hs, { extensionId: EXT });
    const request = { key: '€'.repeat(200_000) };
    expect(JSON.stringify(request).length).toBeLessThan(MAX_MESSAGE_BYTES);
    const res = await route({ tl: 1, name: 'receiptFor', request }, contentScript);
    await expectRefused(res, 'too_large');
    expect((res as { error: { message: string } }).error.message).toContain(String(MAX_MESSAGE_BYTES));
  });

  it('a huge page context (a thread bloated by a hostile sender) is refused whole, nothing stored', async () => {
    const route = createRouter(handlers, { extensionId: EXT });
    const messages = Array.from({ length: 200 }, (_, i) => ({ id: `m${i}`, to: [], body: 'A'.repeat(5000) }));
    const res = await route({ tl: 1, name: 'pageContext', request: { context: { site: 'gmail', view: 'thread', key: 'k', url: PAGE, people: [], messages } } }, contentScript);
    await expectRefused(res, 'too_large');
    expect(await fakeBrowser.storage.session.get('tab:7')).toEqual({});
  });
});

describe('unknown names', () => {
  it.each(['nope', '', 'dropEverything', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'PING', ' ping'])('%j is unknown_message', async (name) => {
    const { hs, calls } = spies();
    await expectRefused(createRouter(hs, { extensionId: EXT })({ tl: 1, name, request: {} }, extensionPage), 'unknown_message');
    expect(calls).toEqual([]);
  });

  it('a name that is not a string is unknown_message', async () => {
    const route = createRouter(spies().hs, { extensionId: EXT });
    for (const name of [42, null, { toString: () => 'ping' }, ['ping']]) await expectRefused(route({ tl: 1, name, request: {} }, extensionPage), 'unknown_message');
  });

  it('a protocol name without a handler is unknown_message', async () => {
    await expectRefused(createRouter({}, { extensionId: EXT })({ tl: 1, name: 'ping', request: {} }, extensionPage), 'unknown_message');
  });
});

describe('foreign senders', () => {
  const valid = { tl: 1, name: 'ping', request: {} };

  it.each([
    ['another extension', { id: 'abcdefghijklmnopabcdefghijklmnop', url: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/bg.html' }],
    ['another extension with a tab', { id: 'abcdefghijklmnopabcdefghijklmnop', tab: { id: 7, url: PAGE } }],
    ['a web page (no extension id)', { url: 'https://evil.example/', tab: { id: 9, url: 'https://evil.example/' } }],
    ['a sender with no identity at all', {}],
    ['an id that differs only in case', { id: EXT.toUpperCase() === EXT ? `${EXT}x` : EXT.toUpperCase() }],
  ] as [string, Sender][])('%s is forbidden_sender, even with a valid message', async (_what, sender) => {
    const { hs, calls } = spies();
    await expectRefused(createRouter(hs, { extensionId: EXT })(valid, sender), 'forbidden_sender');
    expect(calls).toEqual([]);
  });

  it('nothing listens on an external channel (and the manifest has no externally_connectable: tests/security/manifest.test.ts)', () => {
    // Web pages and other extensions could only reach us through runtime.onMessageExternal or
    // onConnectExternal; no shipped code registers either, so their messages are dropped by the browser.
    const shipped = ['lib', 'entrypoints', 'components'].flatMap((d) => walk(resolve(ROOT, d)));
    expect(shipped.length).toBeGreaterThan(50);
    const hits = shipped.filter((f) => /onMessageExternal|onConnectExternal|externally_connectable/.test(readFileSync(f, 'utf8')));
    expect(hits).toEqual([]);
    // The one listener there is goes through the router.
    expect(readFileSync(resolve(ROOT, 'lib/background/index.ts'), 'utf8')).toMatch(/runtime\.onMessage\.addListener\(\(message, sender\) => route\(message, sender\)\)/);
  });

  const PAGES_ONLY: [MessageName, unknown][] = [
    ['connectCrm', { providerId: 'hubspot', secret: 'pat-na1-12345678' }],
    ['oauthConnectCrm', { providerId: 'hubspot' }],
    ['testCrm', { providerId: 'hubspot', secret: 'pat-na1-12345678' }],
    ['disconnectCrm', {}],
    ['syncNow', {}],
    ['syncStatus', {}],
    ['retryFailed', {}],
    ['resolveConflict', { id: 1, keep: 'local' }],
    ['notificationAction', { notificationId: 'task:1', buttonIndex: 0 }],
  ];

  /** What a content script may send; everything else is for extension pages only. */
  const CONTENT_OK: MessageName[] = ['ping', 'pageContext', 'logPage', 'previewPage', 'acknowledgePreview', 'lookupPeople', 'receiptFor', 'storeChanged'];

  it('every message name is classified: content scripts may send some, the rest are refused to them', () => {
    expect([...CONTENT_OK, ...PAGES_ONLY.map(([n]) => n)].sort()).toEqual([...NAMES].sort());
  });

  it.each(PAGES_ONLY)('%s from our own content script (a web-page URL) is forbidden_sender', async (name, request) => {
    const route = createRouter(handlers, { extensionId: EXT });
    await expectRefused(route({ tl: 1, name, request }, contentScript), 'forbidden_sender');
    // A page URL that merely contains our origin does not pass either.
    const sneaky: Sender = { ...contentScript, url: `https://mail.google.com/#chrome-extension://${EXT}/options.html` };
    await expectRefused(route({ tl: 1, name, request }, sneaky), 'forbidden_sender');
    expect(await db.credentials.count()).toBe(0);
  });

  it('a content script speaks only for its own tab: a tabId in its request is ignored', async () => {
    const route = createRouter(handlers, { extensionId: EXT });
    const other = { site: 'gmail', view: 'thread', key: 'other-tab-thread', url: PAGE, people: [{ email: 'victim@other.example', role: 'from' }], messages: [{ id: 'm1', to: [] }] };
    await fakeBrowser.storage.session.set({ 'tab:99': other });
    await expectRefused(route({ tl: 1, name: 'previewPage', request: { tabId: 99 } }, contentScript), 'not_found');
    await expectRefused(route({ tl: 1, name: 'logPage', request: { tabId: 99 } }, contentScript), 'not_found');
    expect(await db.contacts.count()).toBe(0);
  });
});

describe('a flood from one tab (limit: 120 messages per tab per 10 s)', () => {
  it('the 121st message in the window is rate_limited and never reaches its handler; other tabs and extension pages are unaffected; the next window is open again', async () => {
    let t = 1_000_000;
    const { hs, calls } = spies();
    const route = createRouter(hs, { extensionId: EXT, now: () => t });
    const ping = { tl: 1, name: 'ping', request: {} };
    const results = [];
    for (let i = 0; i < 150; i++) results.push(await route(ping, contentScript));
    expect(results.slice(0, 120).every((r) => r.ok)).toBe(true);
    for (const r of results.slice(120)) await expectRefused(r, 'rate_limited');
    expect(calls.length).toBe(120);

    expect((await route(ping, { ...contentScript, tab: { id: 8, url: PAGE } })).ok).toBe(true);
    expect((await route(ping, extensionPage)).ok).toBe(true);

    t += 10_001;
    expect((await route(ping, contentScript)).ok).toBe(true);
  });

  it('malformed messages count toward the limit too, so garbage cannot be used to probe for free', async () => {
    let t = 0;
    const route = createRouter(spies().hs, { extensionId: EXT, now: () => t });
    for (let i = 0; i < 120; i++) await expectRefused(route({ tl: 1, name: 'receiptFor', request: { key: 42 } }, contentScript), 'bad_request');
    await expectRefused(route({ tl: 1, name: 'ping', request: {} }, contentScript), 'rate_limited');
  });
});
