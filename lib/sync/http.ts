import { abortError } from './clock';
import { takeAll, TokenBucket } from './rate-limit';
import type { Clock, ProviderOptions } from './types';

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** The CRM refused the credentials: the whole run stops and the user is told to reconnect. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/** Still failing after every retry (5xx, network, timeouts, 429s): leave the work queued. */
export class TransientError extends Error {
  constructor(
    message: string,
    /** True when the request may have reached the CRM (a write could have happened). */
    readonly ambiguous: boolean,
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Extra buckets besides the general one, e.g. 'search'. */
  buckets?: string[];
  /**
   * False for creates the vendor cannot deduplicate: after a timeout or a 5xx we cannot know
   * whether it happened, so we do not resend blindly; the provider looks first next time.
   */
  idempotent?: boolean;
}

export interface HttpClientOptions {
  baseUrl: string;
  headers: Record<string, string>;
  clock: Clock;
  fetch?: typeof fetch;
  buckets: Record<string, TokenBucket>;
  timeoutMs?: number;
  maxAttempts?: number;
  /** Longest 429 wait worth sleeping through inside one run. */
  maxWaitMs?: number;
  /** The vendor's policy for a 429 without Retry-After: how long to wait before attempt `attempt + 1`. */
  rateLimitWaitMs(res: HttpResponse, attempt: number, now: number): number;
  /** Turns an error body into a message for the user. */
  messageOf(res: HttpResponse): string;
}

/** Retry-After as seconds or an HTTP date. */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const v = headers.get('retry-after');
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with equal jitter: half fixed, half random, capped. */
export function backoffMs(attempt: number, random: () => number, baseMs = 500, capMs = 30_000): number {
  const d = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  return d / 2 + random() * (d / 2);
}

export class HttpClient {
  readonly baseUrl: string;
  /** Requests sent and not yet answered. */
  private onWire = 0;
  private readonly quietWaiters: (() => void)[] = [];
  constructor(private readonly o: HttpClientOptions) {
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
  }

  /** Resolves when no request is on the wire (at once if none is). */
  quiet(): Promise<void> {
    if (!this.onWire) return Promise.resolve();
    return new Promise((r) => this.quietWaiters.push(r));
  }

  url(path: string, query?: RequestSpec['query']): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /**
   * Sends with rate limiting, a timeout and retries. Resolves with 2xx and 4xx answers
   * (the caller maps 4xx to failed items); throws AuthError, TransientError or the abort reason.
   */
  async request(spec: RequestSpec, signal?: AbortSignal): Promise<HttpResponse> {
    const { clock } = this.o;
    const max = this.o.maxAttempts ?? 6;
    const idempotent = spec.idempotent ?? true;
    const buckets = [this.o.buckets.general!, ...(spec.buckets ?? []).map((b) => this.o.buckets[b]!)].filter(Boolean);
    let failures = 0;
    let limited = 0;
    for (;;) {
      if (signal?.aborted) throw abortError(signal);
      const settle = await takeAll(buckets, signal);
      let res: HttpResponse;
      try {
        // Settled when the status line arrives: the vendor has counted the request by then, and
        // reading the body is no reason to hold the token longer.
        res = await this.once(spec, signal, settle);
      } catch (e) {
        settle();
        if (signal?.aborted) throw abortError(signal);
        const why = e instanceof Error ? e.message : String(e);
        if (!idempotent) throw new TransientError(`Network error: ${why}`, true);
        if (++failures >= max) throw new TransientError(`Network error after ${failures} attempts: ${why}`, true);
        await clock.sleep(backoffMs(failures, clock.random), signal);
        continue;
      }
      if (res.status === 401 || res.status === 403) throw new AuthError(res.status, this.o.messageOf(res));
      if (res.status === 429) {
        // Rate limits say nothing about whether work happened: nothing was done, so resending is safe.
        if (++limited > max * 2) throw new TransientError(`Rate limited: ${this.o.messageOf(res)}`, false);
        const wait = retryAfterMs(res.headers, clock.now()) ?? this.o.rateLimitWaitMs(res, limited, clock.now());
        // A daily cap: no point holding the worker; the queue waits for a later run.
        if (wait > (this.o.maxWaitMs ?? 5 * 60_000)) throw new TransientError(`Rate limited for ${Math.round(wait / 1000)} s: ${this.o.messageOf(res)}`, false);
        for (const b of buckets) b.drainFor(wait);
        await clock.sleep(wait, signal);
        continue;
      }
      if (res.status >= 500) {
        if (!idempotent) throw new TransientError(`The CRM answered ${res.status}: ${this.o.messageOf(res)}`, true);
        if (++failures >= max) throw new TransientError(`The CRM answered ${res.status} ${failures} times: ${this.o.messageOf(res)}`, true);
        await clock.sleep(backoffMs(failures, clock.random), signal);
        continue;
      }
      return res;
    }
  }

  private async once(spec: RequestSpec, outer: AbortSignal | undefined, answered: () => void): Promise<HttpResponse> {
    const ctl = new AbortController();
    const onAbort = () => ctl.abort(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = this.o.timeoutMs ?? 30_000;
    let timedOut = false;
    let onWire = true;
    this.onWire++;
    const offWire = () => {
      if (!onWire) return;
      onWire = false;
      if (--this.onWire === 0) for (const w of this.quietWaiters.splice(0)) w();
    };
    const timer = this.o.clock.sleep(timeoutMs, ctl.signal).then(
      () => {
        timedOut = true;
        ctl.abort(new Error(`timed out after ${timeoutMs} ms`));
      },
      () => undefined,
    );
    try {
      const f = this.o.fetch ?? fetch;
      const r = await f(this.url(spec.path, spec.query), {
        method: spec.method,
        headers: { accept: 'application/json', ...(spec.body !== undefined ? { 'content-type': 'application/json' } : {}), ...this.o.headers },
        body: spec.body !== undefined ? JSON.stringify(spec.body) : undefined,
        signal: ctl.signal,
      });
      offWire();
      answered();
      const text = await r.text();
      let body: unknown = null;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      return { status: r.status, headers: r.headers, body };
    } catch (e) {
      if (timedOut) throw new Error(`timed out after ${timeoutMs} ms`);
      throw e;
    } finally {
      offWire();
      outer?.removeEventListener('abort', onAbort);
      if (!ctl.signal.aborted) ctl.abort();
      void timer;
    }
  }
}

export type RateLimits = Record<string, { tokens: number; windowMs: number }>;

/**
 * A provider's client: the plumbing every vendor shares (clock, fetch, timeouts) plus one token
 * bucket per documented limit, each overridable by `opts.limits` (tests scale windows down).
 */
export function providerHttp(
  opts: ProviderOptions,
  o: Pick<HttpClientOptions, 'baseUrl' | 'headers' | 'rateLimitWaitMs' | 'messageOf'> & { limits: RateLimits },
): HttpClient {
  const buckets: Record<string, TokenBucket> = {};
  for (const [name, documented] of Object.entries(o.limits)) {
    const l = opts.limits?.[name] ?? documented;
    buckets[name] = new TokenBucket(l.tokens, l.windowMs, opts.clock);
  }
  return new HttpClient({
    baseUrl: o.baseUrl,
    headers: o.headers,
    clock: opts.clock,
    fetch: opts.fetch,
    timeoutMs: opts.timeoutMs,
    maxAttempts: opts.maxAttempts,
    buckets,
    rateLimitWaitMs: o.rateLimitWaitMs,
    messageOf: o.messageOf,
  });
}
