import { afterEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { browser } from 'wxt/browser';
import { send, WORKER_STOPPED } from '@/lib/messaging/client';

/**
 * What a page hears when the background's service worker stops around a message, in the three
 * forms Chromium gave in tests/e2e/specs/worker-death.spec.mjs. Before, the in-page button showed
 * Chromium's raw text or told the rep to reload the page; a click again was all it needed.
 */
afterEach(() => vi.restoreAllMocks());

const answer = { ok: true, value: { version: '1', now: 1 } };
/** runtime.sendMessage, typed as what a page sees: any answer, or a rejection. */
const sendMessage = () => vi.spyOn(browser.runtime, 'sendMessage') as unknown as MockInstance<(message: unknown) => Promise<unknown>>;

describe('send when the worker stops', () => {
  it('resends once a message that was never delivered (the worker between lives)', async () => {
    const spy = sendMessage().mockRejectedValueOnce(new Error('Could not establish connection. Receiving end does not exist.')).mockResolvedValueOnce(answer);
    await expect(send('ping', {})).resolves.toEqual(answer.value);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('says "stopped, try again" when the resend is not delivered either', async () => {
    const spy = sendMessage().mockRejectedValue(new Error('Could not establish connection. Receiving end does not exist.'));
    await expect(send('ping', {})).rejects.toMatchObject({ code: 'internal', message: WORKER_STOPPED });
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('does not resend a message the worker received and died answering: it may have done the work', async () => {
    const spy = sendMessage()
      .mockRejectedValue(new Error('A listener indicated an asynchronous response by returning true, but the message channel closed before a response was received'));
    await expect(send('logPage', { tabId: 1 })).rejects.toMatchObject({ code: 'internal', message: WORKER_STOPPED });
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('treats no answer at all (Chrome’s undefined when the worker stops with the port open) the same way', async () => {
    sendMessage().mockResolvedValue(undefined);
    await expect(send('ping', {})).rejects.toMatchObject({ code: 'internal', message: WORKER_STOPPED });
  });

  it('passes "Extension context invalidated" through: after an update only a reload helps', async () => {
    const spy = sendMessage().mockRejectedValue(new Error('Extension context invalidated.'));
    await expect(send('ping', {})).rejects.toThrow('Extension context invalidated.');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('still turns {ok:false} answers into typed errors', async () => {
    sendMessage().mockResolvedValue({ ok: false, error: { code: 'bad_request', message: 'no' } });
    await expect(send('ping', {})).rejects.toMatchObject({ code: 'bad_request', message: 'no' });
  });
});
