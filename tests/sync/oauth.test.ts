import { describe, expect, it } from 'vitest';
import { launchOAuth, oauthConfig } from '@/lib/sync/oauth';

const vars = { WXT_HUBSPOT_CLIENT_ID: 'client-1', WXT_OAUTH_EXCHANGE_URL: 'https://exchange.example/token' };

describe('OAuth flow', () => {
  it('is offered only with a client id and an exchange endpoint', () => {
    expect(oauthConfig('hubspot', {})).toBeUndefined();
    expect(oauthConfig('twenty', vars)).toBeUndefined();
    expect(oauthConfig('hubspot', vars)).toMatchObject({ clientId: 'client-1', authorizeUrl: 'https://app.hubspot.com/oauth/authorize' });
  });

  it('sends the user to the vendor, checks state, and exchanges the code', async () => {
    const cfg = oauthConfig('hubspot', vars)!;
    let asked = '';
    const identity = {
      getRedirectURL: (p?: string) => `https://abc.chromiumapp.org/${p ?? ''}`,
      launchWebAuthFlow: async ({ url }: { url: string }) => {
        asked = url;
        const state = new URL(url).searchParams.get('state');
        return `https://abc.chromiumapp.org/oauth?code=the-code&state=${state}`;
      },
    };
    let body: unknown;
    const fetcher = (async (_u: string, init: RequestInit) => {
      body = JSON.parse(String(init.body));
      return new Response(JSON.stringify({ access_token: 'access-token-123', refresh_token: 'r', expires_in: 1800 }), { status: 200 });
    }) as unknown as typeof fetch;
    const t = await launchOAuth(cfg, identity, fetcher);
    expect(t).toEqual({ accessToken: 'access-token-123', refreshToken: 'r', expiresIn: 1800 });
    const u = new URL(asked);
    expect(u.searchParams.get('client_id')).toBe('client-1');
    expect(u.searchParams.get('redirect_uri')).toBe('https://abc.chromiumapp.org/oauth');
    expect(body).toEqual({ provider: 'hubspot', code: 'the-code', redirect_uri: 'https://abc.chromiumapp.org/oauth' });
  });

  it('rejects an answer whose state does not match, and works without identity only by refusing', async () => {
    const cfg = oauthConfig('hubspot', vars)!;
    const identity = { getRedirectURL: () => 'https://abc.chromiumapp.org/', launchWebAuthFlow: async () => 'https://abc.chromiumapp.org/?code=x&state=forged' };
    await expect(launchOAuth(cfg, identity)).rejects.toThrow(/did not match/);
    await expect(launchOAuth(cfg, undefined)).rejects.toThrow(/use a token/);
  });
});
