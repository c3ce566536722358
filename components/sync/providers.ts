import type { ProviderId } from '@/lib/model';

/** What the options page needs to know about each CRM, without loading the providers. */
export const CRM_CHOICES: { id: ProviderId; label: string; defaultBaseUrl: string; needsBaseUrl: boolean; tokenLabel: string; tokenHint: string }[] = [
  { id: 'hubspot', label: 'HubSpot', defaultBaseUrl: 'https://api.hubapi.com', needsBaseUrl: false, tokenLabel: 'Private app access token', tokenHint: 'HubSpot → Settings → Integrations → Private apps. Scopes: crm.objects.contacts/companies/deals write, crm.schemas read.' },
  { id: 'pipedrive', label: 'Pipedrive', defaultBaseUrl: 'https://api.pipedrive.com', needsBaseUrl: false, tokenLabel: 'Personal API token', tokenHint: 'Pipedrive → Personal preferences → API.' },
  { id: 'twenty', label: 'Twenty', defaultBaseUrl: '', needsBaseUrl: true, tokenLabel: 'API key', tokenHint: 'Twenty → Settings → APIs & Webhooks → Create API key.' },
];

/** The one origin the token is sent to: asked for as an optional host permission on Connect. */
export function originsFor(id: ProviderId, baseUrl: string): string[] {
  const choice = CRM_CHOICES.find((c) => c.id === id)!;
  const url = baseUrl.trim() || choice.defaultBaseUrl;
  return [`${new URL(url).origin}/*`];
}

/**
 * What an OAuth sign-in asks the browser for: the CRM's API and the exchange endpoint that holds
 * the client secret, plus `identity` where it is an optional permission (Chrome; Firefox grants
 * it at install). Pipedrive answers OAuth calls at the company's own `*.pipedrive.com` API
 * origin, known only after sign-in, so its whole domain is asked for.
 */
export function oauthPermissions(id: ProviderId, baseUrl: string, exchangeUrl: string, optionalApis: readonly string[]): { origins: string[]; permissions?: string[] } {
  const crm = id === 'pipedrive' && !baseUrl.trim() ? ['https://*.pipedrive.com/*'] : originsFor(id, baseUrl);
  const origins = [...new Set([...crm, `${new URL(exchangeUrl).origin}/*`])];
  return optionalApis.includes('identity') ? { permissions: ['identity'], origins } : { origins };
}
