import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CrmConnection } from '@/components/sync/CrmConnection';
import type { Overview } from '@/components/sync/useSyncOverview';

const sendMock = vi.hoisted(() => vi.fn());
vi.mock('@/lib/messaging/client', () => ({ send: sendMock }));

const empty: Overview = { connection: null, queue: 0, running: false, pushed: 0, pulled: 0, failures: [], conflicts: [] };

describe('CrmConnection', () => {
  let overview: Overview;
  let permissionRequests: { origins?: string[]; permissions?: string[] }[];
  beforeEach(() => {
    overview = { ...empty };
    permissionRequests = [];
    sendMock.mockReset();
    sendMock.mockImplementation(async (name: string, req: Record<string, unknown>) => {
      if (name === 'syncStatus') return overview;
      if (name === 'connectCrm') {
        overview = { ...overview, connection: { providerId: req.providerId as 'hubspot', accountName: 'HubSpot portal 4242', connectedAt: 1 }, initial: { total: 40, done: false }, progress: { done: 10, total: 40 }, queue: 30, running: true };
        return { accountName: 'HubSpot portal 4242' };
      }
      if (name === 'testCrm') return { accountName: 'HubSpot portal 4242' };
      return { ok: true, retried: 1 };
    });
    (fakeBrowser as unknown as { permissions: { request: (p: { origins?: string[] }) => Promise<boolean> } }).permissions.request = async (p) => {
      permissionRequests.push(p);
      return true;
    };
  });

  it('asks for the CRM host, sends the token to the background, and never shows it again', async () => {
    render(<CrmConnection />);
    fireEvent.change(await screen.findByLabelText('Private app access token'), { target: { value: 'pat-na1-secret-token' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText('Connected to HubSpot portal 4242.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Connect HubSpot/ }));
    expect(await screen.findByText('HubSpot portal 4242')).toBeTruthy();
    expect(permissionRequests).toEqual([{ origins: ['https://api.hubapi.com/*'] }, { origins: ['https://api.hubapi.com/*'] }]);
    expect(sendMock).toHaveBeenCalledWith('connectCrm', { providerId: 'hubspot', kind: 'token', secret: 'pat-na1-secret-token', baseUrl: undefined });
    // First sync progress, and no input still holding the token.
    expect(screen.getByRole('progressbar', { name: 'First sync' }).getAttribute('aria-valuenow')).toBe('10');
    expect(document.body.innerHTML).not.toContain('pat-na1-secret-token');
  });

  it('needs a workspace address for Twenty and asks for exactly that origin', async () => {
    render(<CrmConnection />);
    fireEvent.change(await screen.findByLabelText('CRM'), { target: { value: 'twenty' } });
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: 'tw-api-key-123' } });
    expect((screen.getByRole('button', { name: /Connect Twenty/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Workspace address'), { target: { value: 'https://crm.example.org/' } });
    fireEvent.click(screen.getByRole('button', { name: /Connect Twenty/ }));
    await waitFor(() => expect(sendMock).toHaveBeenCalledWith('connectCrm', expect.objectContaining({ providerId: 'twenty', baseUrl: 'https://crm.example.org/' })));
    expect(permissionRequests[0]).toEqual({ origins: ['https://crm.example.org/*'] });
  });

  it('does not send the token when the host permission is refused', async () => {
    (fakeBrowser as unknown as { permissions: { request: () => Promise<boolean> } }).permissions.request = async () => false;
    render(<CrmConnection />);
    fireEvent.change(await screen.findByLabelText('Private app access token'), { target: { value: 'pat-na1-secret-token' } });
    fireEvent.click(screen.getByRole('button', { name: /Connect HubSpot/ }));
    expect(await screen.findByText(/needs access to https:\/\/api.hubapi.com/)).toBeTruthy();
    expect(sendMock.mock.calls.filter((c) => c[0] === 'connectCrm')).toHaveLength(0);
  });

  it('shows refused records with retry and conflicts with keep-mine / keep-theirs', async () => {
    overview = {
      ...empty,
      connection: { providerId: 'pipedrive', accountName: 'Fake Co — Test User', connectedAt: 1 },
      queue: 2,
      lastSuccessAt: Date.now() - 120_000,
      failures: [{ entity: 'contact', entityId: 'c1', label: 'Ann <ann@x.test>', message: 'Invalid email address: ann@', at: 1 }],
      conflicts: [{ id: 7, entity: 'contact', entityId: 'c2', label: 'Bob', field: 'name', local: 'Bob Local', remote: 'Robert' }],
    };
    render(<CrmConnection />);
    expect(await screen.findByText('Invalid email address: ann@')).toBeTruthy();
    expect(screen.getByText('2 changes')).toBeTruthy();
    expect(screen.getByText('2 min ago')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(sendMock).toHaveBeenCalledWith('retryFailed', { entity: 'contact', entityId: 'c1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep the CRM’s' }));
    await waitFor(() => expect(sendMock).toHaveBeenCalledWith('resolveConflict', { id: 7, keep: 'remote' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep mine' }));
    await waitFor(() => expect(sendMock).toHaveBeenCalledWith('resolveConflict', { id: 7, keep: 'local' }));
  });

  it('signs in with OAuth through the background: asks for identity, the CRM and the exchange, sends no token', async () => {
    // Chrome's manifest lists identity as optional: it is asked for with the origins, in the click.
    fakeBrowser.runtime.getManifest = (() => ({ manifest_version: 3, name: 'Threadline', version: '0.1.0', optional_permissions: ['identity'] })) as typeof fakeBrowser.runtime.getManifest;
    vi.stubEnv('WXT_HUBSPOT_CLIENT_ID', 'hs-client');
    vi.stubEnv('WXT_OAUTH_EXCHANGE_URL', 'https://exchange.example.org/token');
    sendMock.mockImplementation(async (name: string) => (name === 'syncStatus' ? overview : { accountName: 'HubSpot portal 4242' }));
    render(<CrmConnection />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in with HubSpot' }));
    await waitFor(() => expect(sendMock).toHaveBeenCalledWith('oauthConnectCrm', { providerId: 'hubspot', baseUrl: undefined }));
    expect(permissionRequests).toEqual([{ permissions: ['identity'], origins: ['https://api.hubapi.com/*', 'https://exchange.example.org/*'] }]);
    vi.unstubAllEnvs();
  });

  it('an OAuth connection whose renewal was refused says so and offers a new sign-in', async () => {
    // Firefox grants identity at install: only the origins are asked for.
    fakeBrowser.runtime.getManifest = (() => ({ manifest_version: 2, name: 'Threadline', version: '0.1.0', optional_permissions: ['https://*/*'] })) as typeof fakeBrowser.runtime.getManifest;
    vi.stubEnv('WXT_HUBSPOT_CLIENT_ID', 'hs-client');
    vi.stubEnv('WXT_OAUTH_EXCHANGE_URL', 'https://exchange.example.org/token');
    const needs = 'HubSpot sign-in has expired (missing or unknown refresh token). Sign in again under Settings → CRM connection.';
    overview = { ...empty, connection: { providerId: 'hubspot', kind: 'oauth', accountName: 'HubSpot portal 4242', connectedAt: 1, needsSignIn: needs } };
    render(<CrmConnection />);
    expect(await screen.findByText('Sign-in needed')).toBeTruthy();
    expect(screen.getByText(needs)).toBeTruthy();
    expect(screen.queryByText('Connected')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    await waitFor(() => expect(sendMock).toHaveBeenCalledWith('oauthConnectCrm', { providerId: 'hubspot', baseUrl: undefined }));
    expect(permissionRequests).toEqual([{ origins: ['https://api.hubapi.com/*', 'https://exchange.example.org/*'] }]);
    vi.unstubAllEnvs();
  });
});
