import { randomUUID } from 'node:crypto';
import type { Answer } from '../common';

/**
 * A vendor's OAuth token endpoint, as the HubSpot and Pipedrive fakes serve it. HubSpot
 * (`POST /oauth/v1/token`): form body with grant_type, client_id, client_secret, redirect_uri,
 * code | refresh_token; answers `{token_type, refresh_token, access_token, expires_in}`, errors
 * `{status: 'BAD_REFRESH_TOKEN' | 'BAD_AUTH_CODE' | 'BAD_CLIENT_ID', message}`. Pipedrive
 * (`POST /oauth/token`): HTTP Basic client_id:client_secret, form body grant_type, code,
 * redirect_uri | refresh_token; answers adds `scope` and `api_domain`, errors are RFC 6749's
 * `{error, error_description}`. Access tokens expire by the server's own clock.
 */
export interface OAuthVendorOptions {
  clientId: string;
  clientSecret: string;
  /** Seconds, as the vendors state it (HubSpot 1800, Pipedrive 3599). */
  expiresIn?: number;
  /** Pipedrive hands out a new refresh token on each refresh; HubSpot keeps the same one. */
  rotateRefresh?: boolean;
}

export class FakeOAuthVendor {
  private readonly codes = new Map<string, string>();
  private readonly refreshTokens = new Set<string>();
  private readonly accessTokens = new Map<string, number>();
  /** Token-endpoint calls by grant type, and API calls refused for an unknown or expired token. */
  readonly counts = { authorization_code: 0, refresh_token: 0, refused: 0 };

  constructor(
    private readonly style: 'hubspot' | 'pipedrive',
    readonly o: OAuthVendorOptions,
  ) {}

  /** The consent page: the user agreed, the vendor redirects with this code. */
  authorize(redirectUri: string): string {
    const code = `code-${randomUUID()}`;
    this.codes.set(code, redirectUri);
    return code;
  }

  accepts(bearer: string): boolean {
    const until = this.accessTokens.get(bearer);
    const ok = until !== undefined && Date.now() < until;
    if (!ok) this.counts.refused++;
    return ok;
  }

  /** Every access token stops working (expired on the vendor's side before the client expected). */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** The user revoked the app: refresh tokens are refused from now on. */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  get refreshTokenCount(): number {
    return this.refreshTokens.size;
  }

  private fail(error: 'invalid_grant' | 'invalid_client' | 'invalid_request', detail: string): Answer {
    if (this.style === 'pipedrive') return { status: error === 'invalid_client' ? 401 : 400, body: { error, error_description: detail } };
    const status = error === 'invalid_client' ? 'BAD_CLIENT_ID' : detail.includes('refresh') ? 'BAD_REFRESH_TOKEN' : detail.includes('code') ? 'BAD_AUTH_CODE' : 'BAD_REQUEST';
    return { status: 400, body: { status, message: detail, correlationId: randomUUID() } };
  }

  /** The token endpoint. `form` is the url-encoded body; `basic` the decoded HTTP Basic pair. */
  token(form: Record<string, string>, basic?: { id: string; secret: string }): Answer {
    const client = this.style === 'pipedrive' ? basic : form.client_id ? { id: form.client_id, secret: form.client_secret ?? '' } : undefined;
    if (!client || client.id !== this.o.clientId || client.secret !== this.o.clientSecret) return this.fail('invalid_client', 'missing or unknown client id or secret');
    let refresh: string;
    if (form.grant_type === 'authorization_code') {
      this.counts.authorization_code++;
      const redirect = this.codes.get(form.code ?? '');
      if (!redirect) return this.fail('invalid_grant', 'missing or unknown auth code');
      if (redirect !== form.redirect_uri) return this.fail('invalid_grant', 'redirect_uri does not match the auth code');
      this.codes.delete(form.code!);
      refresh = `refresh-${randomUUID()}`;
      this.refreshTokens.add(refresh);
    } else if (form.grant_type === 'refresh_token') {
      this.counts.refresh_token++;
      if (!this.refreshTokens.has(form.refresh_token ?? '')) return this.fail('invalid_grant', 'missing or unknown refresh token');
      refresh = form.refresh_token!;
      if (this.o.rotateRefresh) {
        this.refreshTokens.delete(refresh);
        refresh = `refresh-${randomUUID()}`;
        this.refreshTokens.add(refresh);
      }
    } else return this.fail('invalid_request', `unsupported grant_type ${form.grant_type}`);
    const expiresIn = this.o.expiresIn ?? (this.style === 'hubspot' ? 1800 : 3599);
    const access = `access-${randomUUID()}`;
    this.accessTokens.set(access, Date.now() + expiresIn * 1000);
    const body = { access_token: access, token_type: this.style === 'hubspot' ? 'bearer' : 'Bearer', refresh_token: refresh, expires_in: expiresIn };
    return { status: 200, body: this.style === 'pipedrive' ? { ...body, scope: 'contacts:full,deals:full,activities:full,search:read,recents:read', api_domain: 'https://fakeco.pipedrive.com' } : body };
  }
}

/** `Authorization: Basic base64(id:secret)`, decoded. */
export function basicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  const m = header?.match(/^Basic\s+(.+)$/i);
  if (!m) return undefined;
  const [id, ...rest] = Buffer.from(m[1]!, 'base64').toString('utf8').split(':');
  return { id: id ?? '', secret: rest.join(':') };
}
