import { AppError, toAppError, type ErrorCode } from '@/lib/errors';
import { MAX_MESSAGE_BYTES, protocol, type MessageName, type ParsedRequestOf, type ResponseOf, type Result } from './protocol';

export interface Sender {
  id?: string;
  url?: string;
  tab?: { id?: number; url?: string };
  frameId?: number;
}

export type Handlers = {
  [N in MessageName]: (request: ParsedRequestOf<N>, sender: Sender) => Promise<ResponseOf<N>> | ResponseOf<N>;
};

export interface RouterOptions {
  extensionId: string;
  /** Messages per tab per window before the router answers rate_limited. */
  perTabLimit?: { count: number; windowMs: number };
  now?: () => number;
}

const utf8 = new TextEncoder();

/**
 * Builds the background's single message handler. It never throws across the boundary:
 * every failure is `{ok:false, error:{code, message}}`.
 */
export function createRouter(handlers: Partial<Handlers>, opts: RouterOptions) {
  const now = opts.now ?? Date.now;
  const limit = opts.perTabLimit ?? { count: 120, windowMs: 10_000 };
  const windows = new Map<number, { start: number; count: number }>();

  const fail = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });

  return async function route(message: unknown, sender: Sender): Promise<Result<unknown>> {
    if (sender.id !== opts.extensionId) return fail('forbidden_sender', 'Messages are accepted only from Threadline itself.');
    if (!message || typeof message !== 'object' || (message as { tl?: unknown }).tl !== 1) {
      return fail('bad_request', 'Not a Threadline message.');
    }
    const { name, request } = message as { name?: unknown; request?: unknown };
    if (typeof name !== 'string' || !Object.hasOwn(protocol, name)) return fail('unknown_message', `Unknown message ${String(name).slice(0, 40)}.`);
    const handler = handlers[name as MessageName];
    if (!handler) return fail('unknown_message', `No handler for ${name}.`);

    let size: number;
    try {
      const json = JSON.stringify(request ?? null);
      // UTF-8 bytes, not UTF-16 units: 512 KiB of "€" would otherwise be 1.5 MiB. A string is
      // never fewer bytes than units, so a long one is refused before it is encoded.
      size = json.length > MAX_MESSAGE_BYTES ? json.length : utf8.encode(json).byteLength;
    } catch {
      return fail('bad_request', 'The request is not serializable.');
    }
    if (size > MAX_MESSAGE_BYTES) return fail('too_large', `The request is at least ${size} bytes; the limit is ${MAX_MESSAGE_BYTES}.`);

    const tabId = sender.tab?.id;
    if (tabId !== undefined) {
      const t = now();
      const w = windows.get(tabId);
      if (!w || t - w.start > limit.windowMs) windows.set(tabId, { start: t, count: 1 });
      else if (++w.count > limit.count) return fail('rate_limited', 'Too many messages from this tab; slow down.');
    }

    const parsed = protocol[name as MessageName].request.safeParse(request);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail('bad_request', `Invalid ${name}: ${issue ? `${issue.path.join('.') || 'request'}: ${issue.message}` : 'bad shape'}.`);
    }
    try {
      const value = await (handler as (r: unknown, s: Sender) => unknown)(parsed.data, sender);
      return { ok: true, value };
    } catch (e) {
      const err = toAppError(e);
      if (!(e instanceof AppError)) console.error(`[threadline] ${name} failed`, e);
      return fail(err.code, err.message);
    }
  };
}
