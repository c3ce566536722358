import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from '../bench/lib/seeded';

export { mulberry32 };

/** Fault injection shared by the fake CRMs. Rates are 0..1 per request. */
export interface Faults {
  /** 500s; half of them after the write was applied (the ambiguous case). */
  error500Rate?: number;
  /** The server holds the request and never answers; the client must time out. */
  timeoutRate?: number;
  /** The socket is destroyed mid-request, before or after the write. */
  dropRate?: number;
  /** Chance that a request opens a burst of `burst429Length` rate-limit answers. */
  burst429Rate?: number;
  burst429Length?: number;
}

export interface FakeBase {
  url: string;
  requests: number;
  /** Requests per route key, e.g. `POST /crm/v3/objects/contacts/batch/upsert`. */
  byRoute: Map<string, number>;
  faults: Faults;
  /** How many of each fault the clients actually met (r429: every 429, bursts and real limits). */
  injected: { e500: number; timeout: number; drop: number; r429: number };
  close(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE',
  'access-control-allow-headers': 'authorization, content-type, x-api-token',
  'access-control-expose-headers': 'retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset',
};

export interface Ctx {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingMessage['headers'];
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Phase = 'before' | 'after';

/**
 * Runs a fake on 127.0.0.1:0. `handle` applies the request and returns the answer; faults
 * decide whether the client hears it. `limited` answers rate limits before anything is applied.
 */
export async function startFake(opts: {
  seed?: number;
  faults?: Faults;
  limited?: (ctx: Ctx) => Answer | undefined;
  burst429: () => Answer;
  handle: (ctx: Ctx) => Answer;
}): Promise<FakeBase & { random: () => number; server: Server }> {
  const random = mulberry32(opts.seed ?? 1);
  let burstLeft = 0;
  const hanging = new Set<ServerResponse>();
  const state = {
    url: '',
    requests: 0,
    byRoute: new Map<string, number>(),
    faults: opts.faults ?? {},
    injected: { e500: 0, timeout: 0, drop: 0, r429: 0 },
    random,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      let body: unknown = undefined;
      const text = Buffer.concat(chunks).toString('utf8');
      // OAuth token endpoints take url-encoded forms; everything else is JSON.
      if (text && /x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) body = Object.fromEntries(new URLSearchParams(text));
      else if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          return send(res, { status: 400, body: { message: 'Invalid JSON' } });
        }
      }
      // Browser callers (the Chromium benchmark page) preflight cross-origin requests; a CRM
      // reached with host permissions does not, so preflights are answered and not counted.
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...CORS, 'access-control-max-age': '7200' });
        return res.end();
      }
      const ctx: Ctx = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, body, headers: req.headers };
      state.requests++;
      const route = `${ctx.method} ${ctx.path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
      state.byRoute.set(route, (state.byRoute.get(route) ?? 0) + 1);
      const f = state.faults;
      if (burstLeft > 0) {
        burstLeft--;
        state.injected.r429++;
        return send(res, opts.burst429());
      }
      if (f.burst429Rate && random() < f.burst429Rate) {
        burstLeft = (f.burst429Length ?? 3) - 1;
        state.injected.r429++;
        return send(res, opts.burst429());
      }
      const limited = opts.limited?.(ctx);
      if (limited) {
        state.injected.r429++;
        return send(res, limited);
      }
      const roll = random();
      const after = random() < 0.5;
      let fault: 'none' | '500' | 'timeout' | 'drop' = 'none';
      const e = f.error500Rate ?? 0;
      const t = f.timeoutRate ?? 0;
      const d = f.dropRate ?? 0;
      if (roll < e) fault = '500';
      else if (roll < e + t) fault = 'timeout';
      else if (roll < e + t + d) fault = 'drop';
      if (fault !== 'none' && !after) return inject(fault, res);
      let answer: Answer;
      try {
        answer = opts.handle(ctx);
      } catch (err) {
        answer = { status: 500, body: { status: 'error', message: String(err), category: 'INTERNAL_ERROR' } };
      }
      if (fault !== 'none') return inject(fault, res);
      send(res, answer);
    });
  });
  function inject(fault: 'none' | '500' | 'timeout' | 'drop', res: ServerResponse) {
    if (fault === '500') state.injected.e500++;
    else if (fault === 'drop') state.injected.drop++;
    else state.injected.timeout++;
    if (fault === '500') return send(res, { status: 500, body: { status: 'error', message: 'internal error (injected)', category: 'INTERNAL_ERROR', correlationId: 'fake' } });
    if (fault === 'drop') return res.socket?.destroy();
    hanging.add(res);
    res.on('close', () => hanging.delete(res));
  }
  function send(res: ServerResponse, a: Answer) {
    const payload = a.body === undefined ? '' : JSON.stringify(a.body);
    res.writeHead(a.status, { 'content-type': 'application/json', ...CORS, ...(a.headers ?? {}) });
    res.end(payload);
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    server,
    close: () =>
      new Promise<void>((r) => {
        for (const h of hanging) h.socket?.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}

/** A rolling-window counter, the way HubSpot and Pipedrive count. */
export function rollingWindow(tokens: number, windowMs: number, now: () => number = Date.now) {
  const hits: number[] = [];
  return {
    hit(): boolean {
      const t = now();
      while (hits.length && hits[0]! + windowMs <= t) hits.shift();
      if (hits.length >= tokens) return false;
      hits.push(t);
      return true;
    },
    remaining(): number {
      const t = now();
      while (hits.length && hits[0]! + windowMs <= t) hits.shift();
      return tokens - hits.length;
    },
    resetMs(): number {
      return hits.length ? hits[0]! + windowMs - now() : 0;
    },
  };
}
