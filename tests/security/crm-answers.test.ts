// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { isEmail } from '@/lib/model';
import { pullChanges } from '@/lib/sync/pull';
import { startHubSpotFake, type HubSpotFake } from '../fakes/hubspot/server';
import { fastClock, hsLimits, providerFor } from '../sync/helpers';

/**
 * A compromised or malicious CRM (or anything between us and it) is a trust boundary too:
 * its answers go through each provider's zod schemas and then the model's, so nothing it
 * says can put an invalid address, an oversized field or a live URL into the store, and a
 * malformed answer writes nothing.
 */

let fake: HubSpotFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('hostile CRM answers (HubSpot fake)', () => {
  it('records with markup keep it as text; records the model refuses are not stored, and do not block the rest', async () => {
    fake = await startHubSpotFake(hsLimits());
    const clock = fastClock();
    const p = providerFor('hubspot', fake.url, 'pat-test', clock);
    fake.setRemote('contacts', 'h1', { email: 'markup@crm.example', firstname: '<img src=x onerror=alert(1)>', lastname: '"><svg onload=alert(2)>' });
    fake.setRemote('contacts', 'h2', { email: 'x"><script>alert(3)</script>@evil', firstname: 'Bad', lastname: 'Address' });
    fake.setRemote('contacts', 'h3', { email: 'javascript:alert(4)', firstname: 'Not', lastname: 'An address' });
    fake.setRemote('contacts', 'h4', { email: 'fine@crm.example', firstname: 'Fine', lastname: 'Person' });

    const out = await pullChanges(p, clock).then(
      (o) => ({ ok: true as const, o }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    const contacts = await db.contacts.toArray();
    for (const c of contacts) for (const e of c.emails) expect(isEmail(e), e).toBe(true);
    const emails = contacts.flatMap((c) => c.emails).sort();
    expect(emails).not.toContain('javascript:alert(4)');
    expect(emails.some((e) => e.includes('script'))).toBe(false);
    // Valid records arrive, with markup as plain text.
    expect(emails).toEqual(expect.arrayContaining(['fine@crm.example', 'markup@crm.example']));
    expect(contacts.find((c) => c.emails.includes('markup@crm.example'))?.name).toBe('<img src=x onerror=alert(1)> "><svg onload=alert(2)>');
    expect(out.ok, out.ok ? '' : String((out as { e: unknown }).e)).toBe(true);
  });

  it('a linked record whose CRM update the model refuses is skipped without failing the page', async () => {
    fake = await startHubSpotFake(hsLimits());
    const clock = fastClock();
    const p = providerFor('hubspot', fake.url, 'pat-test', clock);
    fake.setRemote('contacts', 'h1', { email: 'ana@crm.example', firstname: 'Ana', lastname: 'Lima' });
    fake.setRemote('contacts', 'h2', { email: 'bo@crm.example', firstname: 'Bo', lastname: 'Berg' });
    await pullChanges(p, clock);
    expect(await db.contacts.count()).toBe(2);

    // Both change in the CRM; one now carries a phone longer than our model stores.
    fake.setRemote('contacts', 'h1', { email: 'ana@crm.example', firstname: 'Ana', lastname: 'Lima', phone: '+1 '.padEnd(100, '5') });
    fake.setRemote('contacts', 'h2', { email: 'bo@crm.example', firstname: 'Bo', lastname: 'Renamed' });
    const out = await pullChanges(p, clock);
    expect(out.skipped).toBeGreaterThanOrEqual(1);
    const contacts = await db.contacts.toArray();
    expect(contacts.find((c) => c.emails.includes('bo@crm.example'))?.name).toBe('Bo Renamed');
    expect(contacts.find((c) => c.name === 'Ana Lima')?.emails).toEqual(['ana@crm.example']);
  });

  it('a malformed answer is refused and writes nothing', async () => {
    fake = await startHubSpotFake(hsLimits());
    const clock = fastClock();
    fake.setRemote('contacts', 'h1', { email: 'someone@crm.example', firstname: 'Some', lastname: 'One' });
    // Whatever the CRM (or a proxy) sends instead of a search page: wrong types, HTML, nothing.
    for (const body of ['{"results":"<html>pwned</html>","paging":7}', '<html><script>alert(1)</script></html>', '{"results":[{"id":{"$gt":""},"properties":[]}]}']) {
      const hostile: typeof fetch = async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (/\/search/.test(url)) return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
        return fetch(input, init);
      };
      const p = providerFor('hubspot', fake.url, 'pat-test', clock, { fetch: hostile, maxAttempts: 1 });
      await expect(pullChanges(p, clock)).rejects.toThrow();
      expect(await db.contacts.count()).toBe(0);
      expect(await db.syncState.count()).toBe(0);
    }
  });
});
