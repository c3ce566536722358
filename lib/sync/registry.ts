import type { ProviderId } from '@/lib/model';
import { hubspot } from './providers/hubspot';
import { pipedrive } from './providers/pipedrive';
import { twenty } from './providers/twenty';
import type { ProviderFactory } from './types';

/** Adding a CRM: one folder under providers/ and one line here. */
export const PROVIDERS: Record<ProviderId, ProviderFactory> = {
  hubspot,
  pipedrive,
  twenty,
};

export function providerFactory(id: ProviderId): ProviderFactory {
  const f = PROVIDERS[id];
  if (!f) throw new Error(`Unknown CRM ${id}`);
  return f;
}
