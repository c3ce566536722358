import { z } from 'zod';
import type { ProviderId } from '@/lib/model';

/**
 * OAuth authorization-code flow through `identity.launchWebAuthFlow`, and token refresh.
 *
 * Neither HubSpot nor Pipedrive lets a public client trade a code or a refresh token without the
 * app's client secret, and a secret shipped in an extension is no secret. So every token call
 * goes through the exchange endpoint named at build time (`WXT_OAUTH_EXCHANGE_URL`), a small
 * server that holds the secret and relays to the vendor's token endpoint (`TOKEN_URLS`). Without
 * a client id and that endpoint, `oauthConfig` returns undefined and the options page offers
 * tokens only. Everything here runs in the background; tokens never reach a page.
 */

export interface OAuthConfig {
  providerId: ProviderId;
  authorizeUrl: string;
  clientId: string;
  scopes: string[];
  exchangeUrl: string;
}

export interface Identity {
  getRedirectURL(path?: string): string;
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms; undefined when the vendor gave no lifetime. */
  expiresAt?: number;
  /** Pipedrive: the company's own API origin, where OAuth calls go. */
  apiDomain?: string;
}

/** What the exchange endpoint relays to (documented per vendor; the extension never calls these). */
export const TOKEN_URLS: Partial<Record<ProviderId, string>> = {
  // Form body grant_type, client_id, client_secret, redirect_uri, code | refresh_token.
  hubspot: 'https://api.hubapi.com/oauth/v1/token',
  // HTTP Basic client_id:client_secret; form body grant_type, code, redirect_uri | refresh_token.
  pipedrive: 'https://oauth.pipedrive.com/oauth/token',
};

/**
 * Build-time settings, each named in full: the bundler replaces exactly `import.meta.env.NAME`
 * (a cast or a computed key would stay unreplaced and read nothing in the built extension).
 * Read when asked, so tests can set them per case.
 */
const env = (): Record<string, string | undefined> => ({
  WXT_HUBSPOT_CLIENT_ID: import.meta.env.WXT_HUBSPOT_CLIENT_ID,
  WXT_PIPEDRIVE_CLIENT_ID: import.meta.env.WXT_PIPEDRIVE_CLIENT_ID,
  WXT_OAUTH_EXCHANGE_URL: import.meta.env.WXT_OAUTH_EXCHANGE_URL,
});

const VENDOR: Partial<Record<ProviderId, { authorizeUrl: string; scopes: string[]; clientIdVar: string }>> = {
  hubspot: {
    authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
    scopes: ['crm.objects.contacts.write', 'crm.objects.companies.write', 'crm.objects.deals.write', 'crm.schemas.contacts.write', 'oauth'],
    clientIdVar: 'WXT_HUBSPOT_CLIENT_ID',
  },
  // recents:read: deletions of persons and organizations are only visible through /v1/recents.
  pipedrive: { authorizeUrl: 'https://oauth.pipedrive.com/oauth/authorize', scopes: ['contacts:full', 'deals:full', 'activities:full', 'search:read', 'recents:read'], clientIdVar: 'WXT_PIPEDRIVE_CLIENT_ID' },
};

export function oauthConfig(pid: ProviderId, vars: Record<string, string | undefined> = env()): OAuthConfig | undefined {
  const v = VENDOR[pid];
  const clientId = v && vars[v.clientIdVar];
  const exchangeUrl = vars.WXT_OAUTH_EXCHANGE_URL;
  if (!v || !clientId || !exchangeUrl) return undefined;
  return { providerId: pid, authorizeUrl: v.authorizeUrl, clientId, scopes: v.scopes, exchangeUrl };
}

/** The vendor's token answer, relayed unchanged by the exchange endpoint. */
const TokenAnswer = z.object({
  access_token: z.string().min(8),
  refresh_token: z.string().min(8).optional(),
  expires_in: z.number().positive().optional(),
  api_domain: z.string().optional(),
});

/** The vendor refused the grant (bad or revoked refresh token, used code): only a new sign-in helps. */
export class SignInNeededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInNeededError';
  }
}

/** The exchange could not be reached or failed on its side: try again later, the grant may be fine. */
export class ExchangeUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExchangeUnavailableError';
  }
}

type Grant = { grant_type: 'authorization_code'; code: string; redirect_uri: string } | { grant_type: 'refresh_token'; refresh_token: string };

async function exchange(cfg: OAuthConfig, grant: Grant, fetcher: typeof fetch, now: number): Promise<OAuthTokens> {
  let res: Response;
  try {
    res = await fetcher(cfg.exchangeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: cfg.providerId, ...grant }) });
  } catch (e) {
    throw new ExchangeUnavailableError(`The sign-in service could not be reached: ${e instanceof Error ? e.message : String(e)}`);
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.status >= 500 || res.status === 429) throw new ExchangeUnavailableError(`The sign-in service answered ${res.status}.`);
  const parsed = TokenAnswer.safeParse(body);
  if (!res.ok || !parsed.success) {
    const why = z.object({ message: z.string().optional(), error_description: z.string().optional(), error: z.string().optional() }).safeParse(body);
    const detail = why.success ? (why.data.message ?? why.data.error_description ?? why.data.error) : undefined;
    throw new SignInNeededError(`${grant.grant_type === 'refresh_token' ? 'The sign-in could not be renewed' : 'The token exchange failed'} (${res.status}${detail ? `: ${detail}` : ''}).`);
  }
  const t = parsed.data;
  return { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: t.expires_in ? now + t.expires_in * 1000 : undefined, apiDomain: t.api_domain };
}

/** Sends the user to the vendor, checks the answer's state, and trades the code for tokens. */
export async function launchOAuth(cfg: OAuthConfig, identity: Identity | undefined, fetcher: typeof fetch = fetch, now: () => number = Date.now): Promise<OAuthTokens> {
  if (!identity) throw new Error('This build has no identity permission, so it cannot sign in with OAuth; use a token.');
  const redirectUri = identity.getRedirectURL('oauth');
  const state = crypto.randomUUID();
  const url = new URL(cfg.authorizeUrl);
  url.searchParams.set('client_id', cfg.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', cfg.scopes.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('response_type', 'code');
  const back = await identity.launchWebAuthFlow({ url: url.toString(), interactive: true });
  if (!back) throw new Error('Sign-in was cancelled.');
  const params = new URL(back).searchParams;
  // The state ties the answer to this request: anything else is a forged redirect.
  if (params.get('state') !== state) throw new Error('Sign-in answer did not match the request.');
  const code = params.get('code');
  if (!code) throw new Error(params.get('error_description') ?? params.get('error') ?? 'The CRM sent no authorization code.');
  return exchange(cfg, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, fetcher, now());
}

/** A new access token for a refresh token; keeps the old refresh token when the vendor sends none. */
export async function refreshTokens(cfg: OAuthConfig, refreshToken: string, fetcher: typeof fetch = fetch, now: () => number = Date.now): Promise<OAuthTokens> {
  const t = await exchange(cfg, { grant_type: 'refresh_token', refresh_token: refreshToken }, fetcher, now());
  return { ...t, refreshToken: t.refreshToken ?? refreshToken };
}

/** Where the background keeps a connection's tokens (IndexedDB `credentials`). */
export interface TokenStore {
  load(): Promise<OAuthTokens & { needsSignIn?: string }>;
  save(t: OAuthTokens): Promise<void>;
  /** Marks the connection as needing a new sign-in, with the reason shown to the user. */
  fail(message: string): Promise<void>;
}

/** Refresh this long before the stated expiry, so a request never leaves with a dying token. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A `fetch` for a provider's HTTP client that carries the current access token, refreshes it
 * before it expires, and on a 401 refreshes once and resends once. If the renewed token is
 * refused too, or the vendor refuses the refresh, the connection is marked as needing sign-in
 * and the caller gets a 401, which stops the run as any refused credential does.
 */
export function oauthFetch(o: { cfg: OAuthConfig | undefined; store: TokenStore; label: string; fetch?: typeof fetch; exchangeFetch?: typeof fetch; now?: () => number }): typeof fetch {
  const send = o.fetch ?? fetch;
  const now = o.now ?? Date.now;
  let refreshing: Promise<OAuthTokens> | undefined;
  const signIn = (why: string) => `${o.label} sign-in has expired (${why.replace(/\.$/, '')}). Sign in again under Settings → CRM connection.`;

  /** One refresh at a time: parallel batches that all meet a 401 share it. */
  function refresh(used: string): Promise<OAuthTokens> {
    refreshing ??= (async () => {
      try {
        const cur = await o.store.load();
        // Someone renewed it while this request was out: use theirs.
        if (cur.accessToken !== used && !(cur.expiresAt !== undefined && now() >= cur.expiresAt - REFRESH_MARGIN_MS)) return cur;
        if (!o.cfg) throw new SignInNeededError('this build cannot renew OAuth sign-ins');
        if (!cur.refreshToken) throw new SignInNeededError('the CRM gave no refresh token');
        const next = await refreshTokens(o.cfg, cur.refreshToken, o.exchangeFetch ?? send, now);
        await o.store.save(next);
        return next;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  }

  const refused = (message: string) =>
    // Shaped so every provider's error parser reads the message (HubSpot `message`, Pipedrive `error`).
    new Response(JSON.stringify({ status: 'error', category: 'INVALID_AUTHENTICATION', message, success: false, error: message }), { status: 401, headers: { 'content-type': 'application/json' } });

  async function withToken(input: Parameters<typeof fetch>[0], init: RequestInit | undefined, token: string): Promise<Response> {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return send(input, { ...init, headers });
  }

  return async (input, init) => {
    let cur = await o.store.load();
    if (cur.needsSignIn) return refused(cur.needsSignIn);
    try {
      if (cur.expiresAt !== undefined && now() >= cur.expiresAt - REFRESH_MARGIN_MS) cur = await refresh(cur.accessToken);
    } catch (e) {
      if (!(e instanceof SignInNeededError)) throw e;
      await o.store.fail(signIn(e.message));
      return refused(signIn(e.message));
    }
    const first = await withToken(input, init, cur.accessToken);
    if (first.status !== 401) return first;
    // A refused request did nothing, so resending it (a create too) cannot make a twin.
    await first.body?.cancel().catch(() => undefined);
    // HubSpot notes a 401 alone does not prove the token expired, so one renewal and one resend, no more.
    let next: OAuthTokens;
    try {
      next = await refresh(cur.accessToken);
    } catch (e) {
      if (!(e instanceof SignInNeededError)) throw e;
      await o.store.fail(signIn(e.message));
      return refused(signIn(e.message));
    }
    const second = await withToken(input, init, next.accessToken);
    if (second.status === 401) await o.store.fail(signIn('the CRM refused the renewed token'));
    return second;
  };
}
