import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The exchange endpoint `WXT_OAUTH_EXCHANGE_URL` names, as a team would run it: it holds each
 * app's client secret and relays the extension's `{provider, grant_type, code, redirect_uri |
 * refresh_token}` to the vendor's token endpoint in that vendor's documented form, answering with
 * the vendor's status and body unchanged. The extension never sees a secret.
 */
export interface ExchangeApp {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** HubSpot: secret in the form body. Pipedrive: HTTP Basic. */
  style: 'hubspot' | 'pipedrive';
}

export interface FakeExchange {
  url: string;
  calls: { provider: string; grant_type: string }[];
  /** Answer 503 without relaying, as a down exchange would. */
  down: boolean;
  close(): Promise<void>;
}

export async function startExchange(apps: Record<string, ExchangeApp>): Promise<FakeExchange> {
  const state: FakeExchange = { url: '', calls: [], down: false, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      let b: Record<string, string>;
      try {
        b = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reply(400, { error: 'invalid_request', error_description: 'JSON body expected' });
      }
      state.calls.push({ provider: b.provider ?? '', grant_type: b.grant_type ?? '' });
      if (state.down) return reply(503, { error: 'temporarily_unavailable' });
      const app = apps[b.provider ?? ''];
      if (!app) return reply(400, { error: 'invalid_request', error_description: `unknown provider ${b.provider}` });
      const form = new URLSearchParams({ grant_type: b.grant_type ?? '' });
      if (b.grant_type === 'authorization_code') {
        form.set('code', b.code ?? '');
        form.set('redirect_uri', b.redirect_uri ?? '');
      } else form.set('refresh_token', b.refresh_token ?? '');
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (app.style === 'hubspot') {
        form.set('client_id', app.clientId);
        form.set('client_secret', app.clientSecret);
      } else headers.authorization = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;
      const up = await fetch(app.tokenUrl, { method: 'POST', headers, body: form.toString() });
      reply(up.status, await up.json().catch(() => null));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
