// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { db } from '@/lib/db';
import { createContact } from '@/lib/db/mutations';
import { handlers } from '@/lib/background/handlers';
import { launchOAuth, oauthConfig, oauthFetch, REFRESH_MARGIN_MS, type OAuthTokens, type TokenStore } from '@/lib/sync/oauth';
import { overview, syncNow, type SyncCredential } from '@/lib/sync/service';
import { startHubSpotFake, type HubSpotFake } from '../fakes/hubspot/server';
import { startExchange, type FakeExchange } from '../fakes/oauth/exchange';
import { startPipedriveFake, type PipedriveFake } from '../fakes/pipedrive/server';

const vars = { WXT_HUBSPOT_CLIENT_ID: 'client-1', WXT_OAUTH_EXCHANGE_URL: 'https://exchange.example/token' };
const REDIRECT = `https://${fakeBrowser.runtime.id}.chromiumapp.org/oauth`;
const page = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') };
const HS_APP = { clientId: 'hs-client', clientSecret: 'hs-secret-never-in-the-extension' };
const PD_APP = { clientId: 'pd-client', clientSecret: 'pd-secret-never-in-the-extension' };

let hs: HubSpotFake | undefined;
let pd: PipedriveFake | undefined;
let exchange: FakeExchange | undefined;
afterEach(async () => {
  await hs?.close();
  await pd?.close();
  await exchange?.close();
  hs = pd = exchange = undefined;
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** The browser's consent window, answered as the vendor would: a redirect with code and state. */
function consent(vendor: { authorize(redirectUri: string): string }, tamper?: (u: URL) => void) {
  const launch = vi.fn(async ({ url }: { url: string }) => {
    const asked = new URL(url);
    const back = new URL(asked.searchParams.get('redirect_uri')!);
    back.searchParams.set('code', vendor.authorize(back.toString().split('?')[0]!));
    back.searchParams.set('state', asked.searchParams.get('state')!);
    tamper?.(back);
    return back.toString();
  });
  fakeBrowser.identity.getRedirectURL = ((path?: string) => `https://${fakeBrowser.runtime.id}.chromiumapp.org/${path ?? ''}`) as typeof fakeBrowser.identity.getRedirectURL;
  fakeBrowser.identity.launchWebAuthFlow = launch as unknown as typeof fakeBrowser.identity.launchWebAuthFlow;
  return launch;
}

async function hubspotWithExchange(expiresIn = 1800) {
  hs = await startHubSpotFake({ oauth: { ...HS_APP, expiresIn } });
  exchange = await startExchange({ hubspot: { tokenUrl: `${hs.url}/oauth/v1/token`, ...HS_APP, style: 'hubspot' } });
  vi.stubEnv('WXT_HUBSPOT_CLIENT_ID', HS_APP.clientId);
  vi.stubEnv('WXT_OAUTH_EXCHANGE_URL', exchange.url);
  consent(hs.oauth!);
  return { hs, exchange };
}

const cred = async (pid = 'hubspot') => (await db.credentials.get(pid)) as SyncCredential | undefined;

/** Every place a content script could read, and every message the background sent anywhere. */
async function readableByContentScripts(): Promise<string> {
  const local = await fakeBrowser.storage.local.get(null);
  const sync = await fakeBrowser.storage.sync.get(null);
  return JSON.stringify({ local, sync });
}

describe('OAuth configuration and the consent redirect', () => {
  it('is offered only with a client id and an exchange endpoint', () => {
    expect(oauthConfig('hubspot', {})).toBeUndefined();
    expect(oauthConfig('twenty', vars)).toBeUndefined();
    expect(oauthConfig('hubspot', vars)).toMatchObject({ clientId: 'client-1', authorizeUrl: 'https://app.hubspot.com/oauth/authorize' });
    expect(oauthConfig('pipedrive', { WXT_PIPEDRIVE_CLIENT_ID: 'p', WXT_OAUTH_EXCHANGE_URL: 'https://x.example' })!.scopes).toContain('recents:read');
  });

  it('sends the user to the vendor, checks state, and trades the code through the exchange', async () => {
    const cfg = oauthConfig('hubspot', vars)!;
    let asked = '';
    const identity = {
      getRedirectURL: (p?: string) => `https://abc.chromiumapp.org/${p ?? ''}`,
      launchWebAuthFlow: async ({ url }: { url: string }) => {
        asked = url;
        return `https://abc.chromiumapp.org/oauth?code=the-code&state=${new URL(url).searchParams.get('state')}`;
      },
    };
    let body: unknown;
    const fetcher = (async (_u: string, init: RequestInit) => {
      body = JSON.parse(String(init.body));
      return new Response(JSON.stringify({ access_token: 'access-token-123', refresh_token: 'refresh-token-1', expires_in: 1800 }), { status: 200 });
    }) as unknown as typeof fetch;
    const t = await launchOAuth(cfg, identity, fetcher, () => 1_000);
    expect(t).toEqual({ accessToken: 'access-token-123', refreshToken: 'refresh-token-1', expiresAt: 1_000 + 1_800_000, apiDomain: undefined });
    const u = new URL(asked);
    expect(u.searchParams.get('client_id')).toBe('client-1');
    expect(u.searchParams.get('redirect_uri')).toBe('https://abc.chromiumapp.org/oauth');
    expect(u.searchParams.get('response_type')).toBe('code');
    expect(body).toEqual({ provider: 'hubspot', grant_type: 'authorization_code', code: 'the-code', redirect_uri: 'https://abc.chromiumapp.org/oauth' });
  });

  it('rejects an answer whose state does not match, and refuses without identity', async () => {
    const cfg = oauthConfig('hubspot', vars)!;
    const fetcher = vi.fn();
    const identity = { getRedirectURL: () => 'https://abc.chromiumapp.org/', launchWebAuthFlow: async () => 'https://abc.chromiumapp.org/?code=x&state=forged' };
    await expect(launchOAuth(cfg, identity, fetcher as unknown as typeof fetch)).rejects.toThrow(/did not match/);
    expect(fetcher).not.toHaveBeenCalled();
    await expect(launchOAuth(cfg, undefined)).rejects.toThrow(/use a token/);
  });
});

describe('OAuth end to end against the fake HubSpot and a loopback exchange', () => {
  beforeEach(() => {
    vi.spyOn(fakeBrowser.tabs, 'sendMessage');
    vi.spyOn(fakeBrowser.runtime, 'sendMessage');
  });

  it('signs in from the options page message, stores tokens in IndexedDB only, and syncs with them', async () => {
    const { hs, exchange } = await hubspotWithExchange();
    const c = await createContact({ emails: ['ann@acme.test'], name: 'Ann', source: { origin: 'manual' } });
    const answer = await handlers.oauthConnectCrm({ providerId: 'hubspot', baseUrl: hs.url }, page);
    expect(answer).toEqual({ accountName: 'HubSpot portal 4242 (app.hubspot.com)' });
    expect(fakeBrowser.identity.launchWebAuthFlow).toHaveBeenCalledWith(expect.objectContaining({ interactive: true }));
    expect(exchange.calls).toEqual([{ provider: 'hubspot', grant_type: 'authorization_code' }]);
    const stored = (await cred())!;
    expect(stored).toMatchObject({ kind: 'oauth', baseUrl: hs.url });
    expect(stored.secret).toMatch(/^access-/);
    expect(stored.refreshToken).toMatch(/^refresh-/);
    expect(stored.expiresAt! - Date.now()).toBeGreaterThan(1_700_000);
    await syncNow();
    expect([...hs.objects.contacts!.values()].map((r) => r.properties.email)).toEqual(['ann@acme.test']);
    expect((await db.contacts.get(c.id))!.remoteIds.hubspot).toBeDefined();
    // Where content scripts could look: no token, and no secret anywhere in the extension.
    const secrets = [stored.secret, stored.refreshToken!, HS_APP.clientSecret];
    const visible = [await readableByContentScripts(), JSON.stringify(answer), JSON.stringify(await handlers.syncStatus({}, page)), JSON.stringify(await db.syncState.toArray())];
    for (const s of secrets) for (const v of visible) expect(v).not.toContain(s);
    for (const call of [...vi.mocked(fakeBrowser.tabs.sendMessage).mock.calls, ...vi.mocked(fakeBrowser.runtime.sendMessage).mock.calls]) for (const s of secrets) expect(JSON.stringify(call)).not.toContain(s);
  });

  it('a forged state is refused: nothing exchanged, nothing stored', async () => {
    const { hs, exchange } = await hubspotWithExchange();
    consent(hs.oauth!, (back) => back.searchParams.set('state', 'forged'));
    await expect(handlers.oauthConnectCrm({ providerId: 'hubspot', baseUrl: hs.url }, page)).rejects.toThrow(/did not match/);
    expect(exchange.calls).toEqual([]);
    expect(await db.credentials.count()).toBe(0);
  });

  it('refreshes before the access token expires, without meeting a 401', async () => {
    const { hs, exchange } = await hubspotWithExchange();
    await handlers.oauthConnectCrm({ providerId: 'hubspot', baseUrl: hs.url }, page);
    await syncNow();
    const before = (await cred())!;
    // Within the renewal margin of its stated expiry.
    await db.credentials.update('hubspot', { expiresAt: Date.now() + REFRESH_MARGIN_MS - 1000 } as never);
    await createContact({ emails: ['bo@acme.test'], source: { origin: 'manual' } });
    const refused = hs.oauth!.counts.refused;
    const r = await syncNow();
    expect(r?.error).toBeUndefined();
    expect(exchange.calls.map((c) => c.grant_type)).toEqual(['authorization_code', 'refresh_token']);
    expect(hs.oauth!.counts.refused).toBe(refused);
    const after = (await cred())!;
    expect(after.secret).not.toBe(before.secret);
    // HubSpot keeps the refresh token; the new expiry is the new token's.
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.expiresAt! - Date.now()).toBeGreaterThan(REFRESH_MARGIN_MS);
    expect(hs.objects.contacts!.size).toBe(1);
  });

  it('on a 401 refreshes once and resends: the push still lands', async () => {
    const { hs, exchange } = await hubspotWithExchange();
    await handlers.oauthConnectCrm({ providerId: 'hubspot', baseUrl: hs.url }, page);
    await syncNow();
    hs.oauth!.expireAccessTokens();
    await createContact({ emails: ['cy@acme.test'], source: { origin: 'manual' } });
    const r = await syncNow();
    expect(r?.error).toBeUndefined();
    expect(exchange.calls.filter((c) => c.grant_type === 'refresh_token')).toHaveLength(1);
    expect([...hs.objects.contacts!.values()].map((x) => x.properties.email)).toEqual(['cy@acme.test']);
    expect((await cred())!.needsSignIn).toBeUndefined();
  });

  it('a refused refresh marks the connection as needing sign-in, says so, and stops calling the CRM', async () => {
    const { hs, exchange } = await hubspotWithExchange();
    await handlers.oauthConnectCrm({ providerId: 'hubspot', baseUrl: hs.url }, page);
    await syncNow();
    hs.oauth!.expireAccessTokens();
    hs.oauth!.revokeRefreshTokens();
    await createContact({ emails: ['di@acme.test'], source: { origin: 'manual' } });
    const r = await syncNow();
    expect(r?.authFailed).toBe(true);
    expect((await cred())!.needsSignIn).toMatch(/HubSpot sign-in has expired \(The sign-in could not be renewed \(400: missing or unknown refresh token\)\)\. Sign in again/);
    const o = await overview();
    expect(o.connection).toMatchObject({ kind: 'oauth', needsSignIn: expect.stringMatching(/Sign in again/) });
    expect(o.lastError).toMatch(/Sign in again/);
    expect(exchange.calls.filter((c) => c.grant_type === 'refresh_token')).toHaveLength(1);
    const requests = hs.requests;
    expect(await syncNow()).toBeUndefined();
    expect(hs.requests).toBe(requests);
    // Signing in again clears it and sync resumes.
    consent(hs.oauth!);
    await handlers.oauthConnectCrm({ providerId: 'hubspot', baseUrl: hs.url }, page);
    expect((await cred())!.needsSignIn).toBeUndefined();
    await syncNow();
    expect([...hs.objects.contacts!.values()].map((x) => x.properties.email)).toEqual(['di@acme.test']);
  });

  it('a renewal still out when the user signs in again neither marks nor overwrites the new sign-in', async () => {
    const { hs, exchange } = await hubspotWithExchange();
    await handlers.oauthConnectCrm({ providerId: 'hubspot', baseUrl: hs.url }, page);
    await syncNow();
    // The old grant is revoked (why the user signs in again) and its token is due for renewal.
    hs.oauth!.revokeRefreshTokens();
    await db.credentials.update('hubspot', { expiresAt: Date.now() + REFRESH_MARGIN_MS - 1000 } as never);
    await createContact({ emails: ['fa@acme.test'], source: { origin: 'manual' } });
    // The run's renewal is held at the exchange until the new sign-in is stored.
    let reached!: () => void;
    const atExchange = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      if (String(input).startsWith(exchange.url) && String(init?.body).includes('"grant_type":"refresh_token"')) {
        reached();
        await gate;
      }
      return realFetch(input, init);
    });
    const run = syncNow();
    await atExchange;
    await new Promise((r) => setTimeout(r, 5));
    await handlers.oauthConnectCrm({ providerId: 'hubspot', baseUrl: hs.url }, page);
    const fresh = (await cred())!;
    release();
    await run;
    const after = (await cred())!;
    expect(after.needsSignIn).toBeUndefined();
    expect(after.secret).toBe(fresh.secret);
    expect(after.refreshToken).toBe(fresh.refreshToken);
    // The new sign-in syncs.
    const r = await syncNow();
    expect(r?.error).toBeUndefined();
    expect([...hs.objects.contacts!.values()].map((x) => x.properties.email)).toContain('fa@acme.test');
  });

  it('a renewed token that is refused too marks needs-sign-in after one resend', async () => {
    const { hs } = await hubspotWithExchange();
    await handlers.oauthConnectCrm({ providerId: 'hubspot', baseUrl: hs.url }, page);
    await syncNow();
    // Tokens die as soon as they are issued: the vendor keeps refusing this app.
    hs.oauth!.o.expiresIn = 0.001;
    hs.oauth!.expireAccessTokens();
    await createContact({ emails: ['ed@acme.test'], source: { origin: 'manual' } });
    const refused = hs.oauth!.counts.refused;
    const r = await syncNow();
    expect(r?.authFailed).toBe(true);
    expect(hs.oauth!.counts.refused - refused).toBe(2);
    expect((await cred())!.needsSignIn).toMatch(/refused the renewed token/);
  });

  it('a down exchange is not a refused sign-in: the run fails and the connection stays', async () => {
    const { hs, exchange } = await hubspotWithExchange();
    await handlers.oauthConnectCrm({ providerId: 'hubspot', baseUrl: hs.url }, page);
    await syncNow();
    await db.credentials.update('hubspot', { expiresAt: Date.now() } as never);
    exchange.down = true;
    const store = memoryStore({ accessToken: (await cred())!.secret, refreshToken: (await cred())!.refreshToken, expiresAt: Date.now() });
    const f = oauthFetch({ cfg: oauthConfig('hubspot')!, store, label: 'HubSpot' });
    await expect(f(`${hs.url}/account-info/v3/details`)).rejects.toThrow(/sign-in service answered 503/);
    expect(store.failed).toBeUndefined();
  });
});

function memoryStore(t: OAuthTokens): TokenStore & { current: OAuthTokens; failed?: string; saves: number } {
  const s = {
    current: t,
    failed: undefined as string | undefined,
    saves: 0,
    load: async () => ({ ...s.current, needsSignIn: s.failed }),
    save: async (n: OAuthTokens) => {
      s.current = n;
      s.saves++;
    },
    fail: async (m: string) => {
      s.failed = m;
    },
  };
  return s;
}

describe('OAuth refresh under load, and Pipedrive', () => {
  it('parallel requests that all meet a 401 share one refresh', async () => {
    hs = await startHubSpotFake({ oauth: HS_APP });
    exchange = await startExchange({ hubspot: { tokenUrl: `${hs.url}/oauth/v1/token`, ...HS_APP, style: 'hubspot' } });
    const code = hs.oauth!.authorize(REDIRECT);
    const first = await (await fetch(exchange.url, { method: 'POST', body: JSON.stringify({ provider: 'hubspot', grant_type: 'authorization_code', code, redirect_uri: REDIRECT }) })).json();
    const store = memoryStore({ accessToken: first.access_token, refreshToken: first.refresh_token, expiresAt: Date.now() + 1_800_000 });
    hs.oauth!.expireAccessTokens();
    const f = oauthFetch({ cfg: { ...oauthConfig('hubspot', vars)!, exchangeUrl: exchange.url }, store, label: 'HubSpot' });
    const answers = await Promise.all(Array.from({ length: 4 }, () => f(`${hs!.url}/account-info/v3/details`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(exchange.calls.filter((c) => c.grant_type === 'refresh_token')).toHaveLength(1);
    expect(store.saves).toBe(1);
  });

  it('Pipedrive: client secret sent as HTTP Basic by the exchange, refresh tokens rotated and kept', async () => {
    pd = await startPipedriveFake({ oauth: { ...PD_APP, rotateRefresh: true } });
    exchange = await startExchange({ pipedrive: { tokenUrl: `${pd.url}/oauth/token`, ...PD_APP, style: 'pipedrive' } });
    vi.stubEnv('WXT_PIPEDRIVE_CLIENT_ID', PD_APP.clientId);
    vi.stubEnv('WXT_OAUTH_EXCHANGE_URL', exchange.url);
    consent(pd.oauth!);
    const res = await handlers.oauthConnectCrm({ providerId: 'pipedrive', baseUrl: pd.url }, page);
    expect(res.accountName).toBe('Fake Co — Test User');
    const first = (await cred('pipedrive'))!;
    // An explicit address wins over the api_domain the token answer names.
    expect(first.baseUrl).toBe(pd.url);
    await createContact({ emails: ['pe@acme.test'], name: 'Pe', source: { origin: 'manual' } });
    await db.credentials.update('pipedrive', { expiresAt: Date.now() } as never);
    const r = await syncNow();
    expect(r?.error).toBeUndefined();
    const after = (await cred('pipedrive'))!;
    expect(after.refreshToken).not.toBe(first.refreshToken);
    expect(pd.oauth!.refreshTokenCount).toBe(1);
    expect(pd.tables.persons.size).toBe(1);
    expect(pd.oauth!.counts).toMatchObject({ authorization_code: 1, refresh_token: 1 });
  });
});
