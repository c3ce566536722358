// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { db } from '@/lib/db';
import { addActivities, createContact } from '@/lib/db/mutations';
import { afterWrite } from '@/lib/background/hooks';
import { handlers } from '@/lib/background/handlers';
import { connect, disconnect, overview, syncNow } from '@/lib/sync/service';
import { syncStateOf } from '@/lib/sync/status';
import { SYNC_ALARM, wireSync } from '@/lib/sync/schedule';
import { startHubSpotFake, type HubSpotFake } from '../fakes/hubspot/server';

let fake: HubSpotFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const page = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') };
const contentScript = { id: fakeBrowser.runtime.id, url: 'https://mail.google.com/mail/u/0/', tab: { id: 3 } };

describe('connection, status and badges', () => {
  it('connects (testing first), keeps the token in the background store only, syncs, and reports', async () => {
    fake = await startHubSpotFake();
    const c = await createContact({ emails: ['ann@acme.test'], name: 'Ann', source: { origin: 'manual' } });
    const { added } = await addActivities([{ kind: 'email', occurredAt: 1, contactIds: [c.id], subject: 'Hi' }]);
    await db.outbox.clear(); // Made before connecting: the first sync must still find them.
    expect(await syncStateOf('activity', added[0]!.id)).toBe('local');

    const res = await handlers.connectCrm({ providerId: 'hubspot', kind: 'token', secret: 'pat-test', baseUrl: fake.url }, page);
    expect(res.accountName).toBe('HubSpot portal 4242 (app.hubspot.com)');
    expect((await db.credentials.get('hubspot'))!.secret).toBe('pat-test');
    // What pages can read knows nothing of the token.
    expect(JSON.stringify(await db.syncState.toArray())).not.toContain('pat-test');
    expect(await syncStateOf('activity', added[0]!.id)).toBe('queued');

    await syncNow();
    expect(fake.objects.emails!.size).toBe(1);
    expect(await syncStateOf('activity', added[0]!.id)).toBe('synced');
    const o = await overview();
    expect(o).toMatchObject({ connection: { providerId: 'hubspot', accountName: 'HubSpot portal 4242 (app.hubspot.com)' }, queue: 0, pushed: 2, initial: { total: 2, done: true } });
    expect(JSON.stringify(o)).not.toContain('pat-test');

    await disconnect();
    expect(await db.credentials.count()).toBe(0);
    expect(await syncStateOf('activity', added[0]!.id)).toBe('local');
  });

  it('refuses a wrong token at connect and stores nothing', async () => {
    fake = await startHubSpotFake();
    await expect(connect({ providerId: 'hubspot', kind: 'token', secret: 'wrong-token', baseUrl: fake.url })).rejects.toThrow(/Authentication credentials not found/);
    expect(await db.credentials.count()).toBe(0);
  });

  it('refuses plain http to a remote host, and Twenty without an address', async () => {
    await expect(connect({ providerId: 'hubspot', kind: 'token', secret: 'pat-test', baseUrl: 'http://evil.example' })).rejects.toThrow(/https/);
    await expect(connect({ providerId: 'twenty', kind: 'token', secret: 'key-12345678' })).rejects.toThrow(/address/);
  });

  it('never serves sync controls to a content script', async () => {
    await expect(handlers.connectCrm({ providerId: 'hubspot', kind: 'token', secret: 'pat-test' }, contentScript)).rejects.toThrow(/Only Threadline’s own pages/);
    await expect(handlers.syncStatus({}, contentScript)).rejects.toThrow(/Only Threadline’s own pages/);
  });

  it('schedules: a 5-minute alarm, and a run shortly after a capture', async () => {
    wireSync();
    await new Promise((r) => setTimeout(r, 10));
    expect((await fakeBrowser.alarms.get(SYNC_ALARM))?.periodInMinutes).toBe(5);
    fake = await startHubSpotFake();
    await connect({ providerId: 'hubspot', kind: 'token', secret: 'pat-test', baseUrl: fake.url });
    const c = await createContact({ emails: ['bo@acme.test'], source: { origin: 'manual' } });
    void c;
    const before = fake.requests;
    await afterWrite({ tables: ['contacts'] });
    await new Promise((r) => setTimeout(r, 3_500));
    await syncNow();
    expect(fake.requests).toBeGreaterThan(before);
    expect(fake.objects.contacts!.size).toBe(1);
  });
});
