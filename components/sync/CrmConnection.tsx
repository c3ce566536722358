import { Cloud, Link2, Unlink } from 'lucide-react';
import { useState } from 'react';
import { browser } from 'wxt/browser';
import { Badge, Button, ErrorBanner, Input, Loading, Select } from '@/components/ui';
import { send } from '@/lib/messaging/client';
import type { RequestOf } from '@/lib/messaging/protocol';
import type { ProviderId } from '@/lib/model';
import { oauthConfig } from '@/lib/sync/oauth';
import { CRM_CHOICES, oauthPermissions, originsFor } from './providers';
import { SyncStatus } from './SyncStatus';
import { useSyncOverview } from './useSyncOverview';

/** Connect a CRM: pick it, paste a token, test, connect. The token goes to the background and never comes back. */
export function CrmConnection() {
  const { data, error, refresh } = useSyncOverview();
  if (!data) return error ? <ErrorBanner onRetry={() => void refresh()}>{error}</ErrorBanner> : <Loading label="Loading the CRM connection…" />;
  if (!data.connection) return <ConnectForm onConnected={() => void refresh()} />;
  const label = CRM_CHOICES.find((c) => c.id === data.connection!.providerId)?.label ?? data.connection.providerId;
  const signIn = data.connection.needsSignIn;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-2">
        <Cloud className="size-4 text-blue-600" aria-hidden="true" />
        <span className="font-medium">{label}</span>
        {signIn ? <Badge tone="amber">Sign-in needed</Badge> : <Badge tone="green">Connected</Badge>}
        <span className="text-sm text-slate-600 dark:text-slate-400">{data.connection.accountName}</span>
        <Button
          className="ml-auto"
          size="sm"
          variant="ghost"
          icon={<Unlink className="size-3.5" />}
          onClick={async () => {
            if (!confirm(`Disconnect ${label}? Nothing is deleted here or in ${label}; the token is forgotten.`)) return;
            await send('disconnectCrm', {});
            await refresh();
          }}
        >
          Disconnect
        </Button>
      </div>
      {signIn && <SignInAgain providerId={data.connection.providerId} baseUrl={data.connection.baseUrl} message={signIn} onDone={() => void refresh()} />}
      <SyncStatus overview={data} onChange={() => void refresh()} />
    </div>
  );
}

/** Permissions this build lists as optional (Chrome has `identity` among them). */
function optionalApis(): string[] {
  try {
    return (browser.runtime.getManifest().optional_permissions ?? []).filter((p): p is string => typeof p === 'string' && !p.includes('://'));
  } catch {
    return [];
  }
}

/** An OAuth connection whose renewal was refused: say so, and offer a new sign-in in place. */
function SignInAgain({ providerId, baseUrl, message, onDone }: { providerId: ProviderId; baseUrl?: string; message: string; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const cfg = oauthConfig(providerId);
  return (
    <div role="alert" className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <p>{message}</p>
      {err && <ErrorBanner onDismiss={() => setErr(null)}>{err}</ErrorBanner>}
      {cfg && (
        <Button
          className="self-start"
          size="sm"
          busy={busy}
          onClick={async () => {
            setBusy(true);
            setErr(null);
            try {
              // Inside the click: host access is only granted on a user gesture.
              if (!(await browser.permissions.request(oauthPermissions(providerId, baseUrl ?? '', cfg.exchangeUrl, optionalApis()) as Parameters<typeof browser.permissions.request>[0]))) throw new Error('Threadline needs access to the CRM and its sign-in service.');
              await send('oauthConnectCrm', { providerId, baseUrl });
              onDone();
            } catch (e) {
              setErr(e instanceof Error ? e.message : String(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          Sign in again
        </Button>
      )}
    </div>
  );
}

function ConnectForm({ onConnected }: { onConnected: () => void }) {
  const [providerId, setProviderId] = useState<ProviderId>('hubspot');
  const [secret, setSecret] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [busy, setBusy] = useState<'test' | 'connect' | null>(null);
  const [account, setAccount] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const choice = CRM_CHOICES.find((c) => c.id === providerId)!;
  const request: RequestOf<'connectCrm'> = { providerId, kind: 'token', secret, baseUrl: baseUrl.trim() || undefined };
  const ready = secret.trim().length >= 8 && (!choice.needsBaseUrl || baseUrl.trim().length > 0);

  const oauth = oauthConfig(providerId);

  async function run(kind: 'test' | 'connect' | 'oauth') {
    setBusy(kind === 'oauth' ? 'connect' : kind);
    setErr(null);
    try {
      let wanted: { origins: string[]; permissions?: string[] };
      try {
        wanted = kind === 'oauth' ? oauthPermissions(providerId, baseUrl, oauth!.exchangeUrl, optionalApis()) : { origins: originsFor(providerId, baseUrl) };
      } catch {
        throw new Error('That address is not a URL.');
      }
      // Must run inside the click: the browser only grants host access on a user gesture.
      const granted = await browser.permissions.request(wanted as Parameters<typeof browser.permissions.request>[0]);
      if (!granted) throw new Error(`Threadline needs access to ${wanted.origins[0]!.replace('/*', '')} to talk to ${choice.label}.`);
      // OAuth runs in the background, start to finish: this page never sees a token.
      const res = kind === 'oauth' ? await send('oauthConnectCrm', { providerId, baseUrl: request.baseUrl }) : await send(kind === 'test' ? 'testCrm' : 'connectCrm', request);
      setAccount(res.accountName);
      if (kind !== 'test') {
        setSecret('');
        onConnected();
      }
    } catch (e) {
      setErr(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void run('connect');
      }}
    >
      <Select label="CRM" value={providerId} onChange={(e) => { setProviderId(e.target.value as ProviderId); setAccount(null); setErr(null); }}>
        {CRM_CHOICES.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </Select>
      {choice.needsBaseUrl ? (
        <Input label="Workspace address" placeholder="https://crm.example.com" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} inputMode="url" required />
      ) : (
        <details className="text-sm">
          <summary className="cursor-pointer text-xs text-slate-600 dark:text-slate-400">Sandbox or test server</summary>
          <Input className="mt-2" label="API address" hint={`Leave empty for ${choice.defaultBaseUrl}.`} placeholder={choice.defaultBaseUrl} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} inputMode="url" />
        </details>
      )}
      <Input label={choice.tokenLabel} hint={choice.tokenHint} type="password" autoComplete="off" spellCheck={false} value={secret} onChange={(e) => setSecret(e.target.value)} />
      {account && (
        <p role="status" className="text-sm text-green-800 dark:text-green-300">
          Connected to {account}.
        </p>
      )}
      {err && <ErrorBanner onDismiss={() => setErr(null)}>{err}</ErrorBanner>}
      <div className="flex gap-2">
        <Button disabled={!ready} busy={busy === 'test'} onClick={() => void run('test')}>
          Test connection
        </Button>
        <Button type="submit" variant="primary" disabled={!ready} busy={busy === 'connect'} icon={<Link2 className="size-4" />}>
          Connect {choice.label}
        </Button>
        {oauth && (
          <Button variant="ghost" busy={busy === 'connect'} onClick={() => void run('oauth')}>
            Sign in with {choice.label}
          </Button>
        )}
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">The token is kept in this browser’s extension storage, out of reach of web pages, and is only sent to {choice.label}.</p>
    </form>
  );
}
