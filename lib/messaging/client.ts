import { browser } from 'wxt/browser';
import { AppError, type ErrorCode } from '@/lib/errors';
import type { Envelope, MessageName, RequestOf, ResponseOf, Result } from './protocol';

/**
 * The background's service worker stopped (Chrome's idle stop, a crash) between the message and
 * its answer. Nothing needs reloading: the next message starts a new worker, and every write is
 * one transaction, so trying again is safe.
 */
export const WORKER_STOPPED = 'Threadline’s background stopped before it answered. Try again.';
/** Delivered, but the worker died before answering: it may have done the work, so it is not resent here. */
const DIED_MID_ANSWER = /message (channel|port) closed/i;
/** Not delivered at all (the worker was between lives): resending once is safe. */
const NOT_DELIVERED = /receiving end does not exist/i;

const textOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function deliver(envelope: Envelope<MessageName>): Promise<unknown> {
  try {
    return await browser.runtime.sendMessage(envelope);
  } catch (e) {
    if (!NOT_DELIVERED.test(textOf(e))) throw e;
    return browser.runtime.sendMessage(envelope);
  }
}

/** Sends a typed message to the background; throws AppError on `{ok:false}` answers. */
export async function send<N extends MessageName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> {
  const envelope: Envelope<N> = { tl: 1, name, request };
  let res: Result<ResponseOf<N>> | undefined;
  try {
    res = (await deliver(envelope)) as Result<ResponseOf<N>> | undefined;
  } catch (e) {
    // "Extension context invalidated" (an update under the page) passes through: only a reload helps there.
    if (DIED_MID_ANSWER.test(textOf(e)) || NOT_DELIVERED.test(textOf(e))) throw new AppError('internal', WORKER_STOPPED);
    throw e;
  }
  // Chrome answers undefined when the worker stops with the message's port open.
  if (!res) throw new AppError('internal', WORKER_STOPPED);
  if (!res.ok) throw new AppError(res.error.code as ErrorCode, res.error.message);
  return res.value;
}
