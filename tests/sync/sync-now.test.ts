// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { createContact } from '@/lib/db/mutations';
import { connect, syncNow } from '@/lib/sync/service';
import { startHubSpotFake, type HubSpotFake } from '../fakes/hubspot/server';

let fake: HubSpotFake | undefined;
afterEach(async () => {
  vi.unstubAllGlobals();
  await fake?.close();
  fake = undefined;
});

describe('syncNow during a run', () => {
  it('runs once more when asked while a run is past its outbox read, so a capture made then is not left for the 5-minute alarm', async () => {
    fake = await startHubSpotFake();
    await connect({ providerId: 'hubspot', kind: 'token', secret: 'pat-test', baseUrl: fake.url });
    await createContact({ emails: ['first@acme.test'], source: { origin: 'manual' } });

    // The capture lands while the first contact's upsert is on the wire, and the after-write
    // hook asks for a sync then, as it does 3 s after every capture.
    const realFetch = globalThis.fetch;
    let joined: Promise<unknown> | undefined;
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      if (!joined && String(url).endsWith('/crm/v3/objects/contacts/batch/upsert')) {
        await createContact({ emails: ['second@acme.test'], source: { origin: 'manual' } });
        joined = syncNow();
      }
      return realFetch(url, init);
    });

    await syncNow();
    await joined;
    const emails = [...fake.objects.contacts!.values()].map((r) => r.properties.email).sort();
    expect(emails).toEqual(['first@acme.test', 'second@acme.test']);
    expect(await db.outbox.count()).toBe(0);
    expect(fake.byRoute.get('POST /crm/v3/objects/contacts/batch/upsert')).toBe(2);
  });

  it('does not loop when nothing asked for another run', async () => {
    fake = await startHubSpotFake();
    await connect({ providerId: 'hubspot', kind: 'token', secret: 'pat-test', baseUrl: fake.url });
    await syncNow();
    const runs = fake.byRoute.get('GET /crm/v3/pipelines/deals');
    await syncNow();
    expect(fake.byRoute.get('GET /crm/v3/pipelines/deals')).toBe(runs! + 1);
  });
});
