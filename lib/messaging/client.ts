import { browser } from 'wxt/browser';
import { AppError, type ErrorCode } from '@/lib/errors';
import type { Envelope, MessageName, RequestOf, ResponseOf, Result } from './protocol';

/** Sends a typed message to the background; throws AppError on `{ok:false}` answers. */
export async function send<N extends MessageName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> {
  const envelope: Envelope<N> = { tl: 1, name, request };
  const res = (await browser.runtime.sendMessage(envelope)) as Result<ResponseOf<N>> | undefined;
  if (!res) throw new AppError('internal', 'Threadline’s background did not answer. Reload the page and try again.');
  if (!res.ok) throw new AppError(res.error.code as ErrorCode, res.error.message);
  return res.value;
}
