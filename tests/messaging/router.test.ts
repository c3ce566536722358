import { describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { MAX_MESSAGE_BYTES } from '@/lib/messaging/protocol';
import { createRouter, type Handlers } from '@/lib/messaging/router';

const EXT = 'threadline-test-id';
const me = { id: EXT, tab: { id: 7, url: 'https://mail.google.com/mail/u/0/' } };
const ctx = {
  site: 'gmail',
  view: 'thread',
  key: 'abc123',
  url: 'https://mail.google.com/mail/u/0/#inbox/abc123',
  people: [{ email: 'Ana@Acme.io', role: 'from' }],
};

function setup(extra: Partial<Handlers> = {}, opts: Partial<Parameters<typeof createRouter>[1]> = {}) {
  const pageContext = vi.fn(async (_request: unknown) => ({ ok: true as const }));
  const route = createRouter({ pageContext, ping: () => ({ version: '1', now: 1 }), ...extra }, { extensionId: EXT, ...opts });
  return { route, pageContext };
}

describe('message router', () => {
  it('passes a valid request to its handler, parsed', async () => {
    const { route, pageContext } = setup();
    const res = await route({ tl: 1, name: 'pageContext', request: { context: ctx } }, me);
    expect(res).toEqual({ ok: true, value: { ok: true } });
    // The schema normalised the email before the handler saw it.
    expect(pageContext.mock.calls[0]?.[0]).toMatchObject({ context: { people: [{ email: 'ana@acme.io' }] } });
  });

  it('rejects a foreign sender', async () => {
    const { route, pageContext } = setup();
    const res = await route({ tl: 1, name: 'pageContext', request: { context: ctx } }, { id: 'some-other-extension' });
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(pageContext).not.toHaveBeenCalled();
  });

  it('rejects malformed messages with a typed error naming the field', async () => {
    const { route } = setup();
    expect(await route('hello', me)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await route({ tl: 1, name: 'nope', request: {} }, me)).toMatchObject({ ok: false, error: { code: 'unknown_message' } });
    expect(await route({ tl: 1, name: '__proto__', request: {} }, me)).toMatchObject({ ok: false, error: { code: 'unknown_message' } });
    const bad = await route({ tl: 1, name: 'pageContext', request: { context: { ...ctx, people: [{ email: 'not-an-email', role: 'from' }] } } }, me);
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(bad.ok ? '' : bad.error.message).toContain('people.0.email');
  });

  it('rejects oversized payloads before parsing them', async () => {
    const { route, pageContext } = setup();
    const huge = { ...ctx, subject: 'x'.repeat(MAX_MESSAGE_BYTES) };
    expect(await route({ tl: 1, name: 'pageContext', request: { context: huge } }, me)).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(pageContext).not.toHaveBeenCalled();
  });

  it('throttles a flood from one tab without affecting others', async () => {
    let t = 0;
    const { route } = setup({}, { perTabLimit: { count: 5, windowMs: 1000 }, now: () => t });
    const msg = { tl: 1, name: 'ping', request: {} };
    for (let i = 0; i < 5; i++) expect((await route(msg, me)).ok).toBe(true);
    expect(await route(msg, me)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect((await route(msg, { id: EXT, tab: { id: 8 } })).ok).toBe(true);
    t = 2000;
    expect((await route(msg, me)).ok).toBe(true);
  });

  it('answers handler failures as values, never as thrown exceptions', async () => {
    const { route } = setup({
      ping: () => {
        throw new AppError('not_found', 'gone');
      },
    });
    expect(await route({ tl: 1, name: 'ping', request: {} }, me)).toEqual({ ok: false, error: { code: 'not_found', message: 'gone' } });
    const quota = setup({
      ping: () => {
        throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
      },
    });
    expect(await quota.route({ tl: 1, name: 'ping', request: {} }, me)).toMatchObject({ ok: false, error: { code: 'quota_exceeded' } });
  });
});
