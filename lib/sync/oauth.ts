import { z } from 'zod';
import type { ProviderId } from '@/lib/model';

/**
 * OAuth authorization-code flow through `identity.launchWebAuthFlow`. It needs, per CRM, a
 * registered app (client id given at build time), the `identity` permission, and an exchange
 * endpoint holding the client secret: neither HubSpot nor Pipedrive lets a public client trade
 * a code for a token without it. Without those, `oauthConfig` returns undefined and the options
 * page offers tokens only.
 */

export interface OAuthConfig {
  providerId: ProviderId;
  authorizeUrl: string;
  clientId: string;
  scopes: string[];
  exchangeUrl: string;
}

interface Identity {
  getRedirectURL(path?: string): string;
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
}

const env = (import.meta as { env?: Record<string, string | undefined> }).env ?? {};

const VENDOR: Partial<Record<ProviderId, { authorizeUrl: string; scopes: string[]; clientIdVar: string }>> = {
  hubspot: {
    authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
    scopes: ['crm.objects.contacts.write', 'crm.objects.companies.write', 'crm.objects.deals.write', 'crm.schemas.contacts.write', 'oauth'],
    clientIdVar: 'WXT_HUBSPOT_CLIENT_ID',
  },
  pipedrive: { authorizeUrl: 'https://oauth.pipedrive.com/oauth/authorize', scopes: ['contacts:full', 'deals:full', 'activities:full', 'search:read'], clientIdVar: 'WXT_PIPEDRIVE_CLIENT_ID' },
};

export function oauthConfig(pid: ProviderId, vars: Record<string, string | undefined> = env): OAuthConfig | undefined {
  const v = VENDOR[pid];
  const clientId = v && vars[v.clientIdVar];
  const exchangeUrl = vars.WXT_OAUTH_EXCHANGE_URL;
  if (!v || !clientId || !exchangeUrl) return undefined;
  return { providerId: pid, authorizeUrl: v.authorizeUrl, clientId, scopes: v.scopes, exchangeUrl };
}

const TokenAnswer = z.object({ access_token: z.string().min(8), refresh_token: z.string().optional(), expires_in: z.number().optional() });

export async function launchOAuth(cfg: OAuthConfig, identity: Identity | undefined, fetcher: typeof fetch = fetch): Promise<{ accessToken: string; refreshToken?: string; expiresIn?: number }> {
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
  const res = await fetcher(cfg.exchangeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: cfg.providerId, code, redirect_uri: redirectUri }) });
  const parsed = TokenAnswer.safeParse(await res.json().catch(() => null));
  if (!res.ok || !parsed.success) throw new Error(`The token exchange failed (${res.status}).`);
  return { accessToken: parsed.data.access_token, refreshToken: parsed.data.refresh_token, expiresIn: parsed.data.expires_in };
}
