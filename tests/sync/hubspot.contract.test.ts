// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { updateContact, deleteContact, createContact } from '@/lib/db/mutations';
import { runSync } from '@/lib/sync/engine';
import { startHubSpotFake, type HubSpotFake } from '../fakes/hubspot/server';
import { fastClock, hsLimits, providerFor, seedLocal } from './helpers';

let fake: HubSpotFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('HubSpot provider against the fake', () => {
  it('pushes contacts, companies, activities and tasks once, with associations', async () => {
    fake = await startHubSpotFake(hsLimits());
    const clock = fastClock();
    await seedLocal({ contacts: 5, activitiesPer: 3, tasks: 2 });
    const p = providerFor('hubspot', fake.url, 'pat-test', clock);
    const r = await runSync({ provider: p, clock });
    expect(r.error).toBeUndefined();
    expect(r.push).toMatchObject({ ok: 1 + 5 + 15 + 2, invalid: 0, retry: 0 });
    expect(await db.outbox.count()).toBe(0);
    expect(fake.objects.contacts!.size).toBe(5);
    expect(fake.objects.companies!.size).toBe(1);
    expect(fake.objects.emails!.size).toBe(15);
    expect(fake.objects.tasks!.size).toBe(2);
    const c = (await db.contacts.toArray())[0]!;
    const rid = c.remoteIds.hubspot!;
    expect(fake.objects.contacts!.get(rid)?.properties.email).toBe(c.emails[0]);
    expect([...fake.associations].filter((a) => a.startsWith('emails:') && a.endsWith(`contacts:${rid}`))).toHaveLength(3);
    expect([...fake.associations].some((a) => a.startsWith(`contacts:${rid}->companies:`))).toBe(true);
    // Pipelines imported.
    expect(await db.pipelines.get('hubspot:default')).toMatchObject({ remoteIds: { hubspot: 'default' } });
  });

  it('a repeated push (ids lost locally) creates nothing new', async () => {
    fake = await startHubSpotFake(hsLimits());
    const clock = fastClock();
    await seedLocal({ contacts: 3, activitiesPer: 2 });
    const p = providerFor('hubspot', fake.url, 'pat-test', clock);
    await runSync({ provider: p, clock, pull: false });
    const creates = fake.creates;
    // Simulate a worker killed after the CRM answered but before we stored anything.
    await db.transaction('rw', [db.contacts, db.companies, db.activities, db.outbox, db.remoteMap], async () => {
      for (const t of [db.contacts, db.companies, db.activities] as const) await (t as typeof db.contacts).toCollection().modify((r) => void (r.remoteIds = {}));
      await db.remoteMap.clear();
      for (const c of await db.contacts.toArray()) await db.outbox.add({ entity: 'contact', entityId: c.id, op: 'upsert', at: 1 });
      for (const a of await db.activities.toArray()) await db.outbox.add({ entity: 'activity', entityId: a.id, op: 'upsert', at: 1 });
      for (const c of await db.companies.toArray()) await db.outbox.add({ entity: 'company', entityId: c.id, op: 'upsert', at: 1 });
    });
    const r = await runSync({ provider: p, clock, pull: false });
    expect(r.push?.ok).toBe(3 + 6 + 1);
    expect(fake.creates).toBe(creates);
    expect(fake.objects.contacts!.size).toBe(3);
    expect(fake.objects.emails!.size).toBe(6);
  });

  it('maps a 207 partial failure to per-item results and never retries the refused one blindly', async () => {
    fake = await startHubSpotFake(hsLimits());
    const clock = fastClock();
    await seedLocal({ contacts: 2 });
    // An address our model accepts but HubSpot refuses.
    await createContact({ emails: ['weird@acme.test'], source: { origin: 'manual' } });
    const weird = (await db.contacts.where('emails').equals('weird@acme.test').first())!;
    const p = providerFor('hubspot', fake.url, 'pat-test', clock);
    // Make the fake refuse it the way HubSpot refuses a bad address.
    await db.contacts.update(weird.id, { emails: ['not an email'] as never });
    const r1 = await runSync({ provider: p, clock, pull: false });
    expect(r1.push).toMatchObject({ ok: 3, invalid: 1 });
    const fail = await db.syncState.get(`fail:hubspot:contact:${weird.id}`);
    expect((fail?.value as { message: string }).message).toMatch(/Email address not an email is invalid/);
    const before = fake.requests;
    const r2 = await runSync({ provider: p, clock, pull: false });
    expect(r2.push).toMatchObject({ ok: 0, invalid: 0 });
    // Nothing to send: the refused contact waits for an edit, so no request at all.
    expect(fake.requests - before).toBe(0);
    // The user fixes it: a new edit retries.
    await updateContact(weird.id, { emails: ['weird@acme.test'] });
    const r3 = await runSync({ provider: p, clock, pull: false });
    expect(r3.push).toMatchObject({ ok: 1, invalid: 0 });
    expect(await db.syncState.get(`fail:hubspot:contact:${weird.id}`)).toBeUndefined();
  });

  it('stops on 401 and says so', async () => {
    fake = await startHubSpotFake(hsLimits());
    const clock = fastClock();
    await seedLocal({ contacts: 1 });
    const r = await runSync({ provider: providerFor('hubspot', fake.url, 'wrong', clock), clock });
    expect(r.authFailed).toBe(true);
    expect(r.error).toMatch(/Authentication credentials not found/);
    expect(await db.outbox.count()).toBe(2);
  });

  it('waits out 429 bursts by HubSpot policy and still delivers everything', async () => {
    fake = await startHubSpotFake({ ...hsLimits(), faults: { burst429Rate: 0.15, burst429Length: 3 }, seed: 7 });
    const clock = fastClock();
    await seedLocal({ contacts: 20, activitiesPer: 2 });
    const r = await runSync({ provider: providerFor('hubspot', fake.url, 'pat-test', clock), clock, pull: false });
    expect(r.push).toMatchObject({ ok: 61, retry: 0 });
    expect(fake.objects.emails!.size).toBe(40);
  });

  it('archives remote records when deleted locally', async () => {
    fake = await startHubSpotFake(hsLimits());
    const clock = fastClock();
    const { contacts } = await seedLocal({ contacts: 2 });
    const p = providerFor('hubspot', fake.url, 'pat-test', clock);
    await runSync({ provider: p, clock, pull: false });
    await deleteContact(contacts[0]!.id);
    await runSync({ provider: p, clock, pull: false });
    const rid = (await db.contacts.get(contacts[0]!.id))!.remoteIds.hubspot!;
    expect(fake.objects.contacts!.get(rid)?.archived).toBe(true);
  });

  it('pulls pages incrementally, merges remote edits, keeps conflicts, tombstones deletions', async () => {
    fake = await startHubSpotFake(hsLimits());
    const clock = fastClock();
    const { contacts } = await seedLocal({ contacts: 3 });
    const p = providerFor('hubspot', fake.url, 'pat-test', clock);
    await runSync({ provider: p, clock });
    // 250 remote-only contacts: three search pages of 100.
    for (let i = 0; i < 250; i++) fake.setRemote('contacts', `r${i}`, { email: `remote${i}@other.test`, firstname: 'Remote', lastname: String(i) });
    const a = contacts[0]!;
    const b = contacts[1]!;
    const ra = a.remoteIds.hubspot ?? (await db.contacts.get(a.id))!.remoteIds.hubspot!;
    const rb = (await db.contacts.get(b.id))!.remoteIds.hubspot!;
    fake.setRemote('contacts', ra, { jobtitle: 'CTO' });
    // b: edited on both sides, ours not yet pushed.
    fake.setRemote('contacts', rb, { firstname: 'Robert', lastname: 'Remote' });
    await updateContact(b.id, { name: 'Bob Local' });
    const r = await runSync({ provider: p, clock, pull: false });
    void r;
    // Pull alone (the push above sent b's edit; re-create the pending state for the conflict case).
    fake.setRemote('contacts', rb, { firstname: 'Robert', lastname: 'Remote' });
    await updateContact(b.id, { name: 'Bob Again' });
    const { pullChanges } = await import('@/lib/sync/pull');
    const out = await pullChanges(p, clock);
    expect(out.created).toBe(250);
    expect((await db.contacts.get(a.id))!.title).toBe('CTO');
    expect((await db.contacts.get(b.id))!.name).toBe('Bob Again');
    const conflicts = await db.conflicts.where('[entity+entityId]').equals(['contact', b.id]).toArray();
    expect(conflicts.map((c) => [c.field, c.local, c.remote])).toEqual([['name', 'Bob Again', 'Robert Remote']]);
    // Incremental: nothing new, nothing merged again.
    const again = await pullChanges(p, clock);
    expect(again.created + again.updated).toBe(0);
    // Remote deletion → tombstone.
    const r5 = [...fake.objects.contacts!.values()].find((x) => x.properties.email === 'remote5@other.test')!;
    r5.archived = true;
    r5.archivedAt = new Date(Date.now() + 1000).toISOString();
    const del = await pullChanges(p, clock);
    expect(del.deleted).toBe(1);
    expect((await db.contacts.where('emails').equals('remote5@other.test').first())!.deletedAt).toBeTypeOf('number');
    expect(await db.outbox.where('entity').equals('contact').count()).toBe(1);
  });

  it('a first pull (after a reconnect) still sees archived records; only linked ones become tombstones', async () => {
    fake = await startHubSpotFake(hsLimits());
    const clock = fastClock();
    const { company, contacts } = await seedLocal({ contacts: 2 });
    const p = providerFor('hubspot', fake.url, 'pat-test', clock);
    await runSync({ provider: p, clock, pull: false });
    const rc = (await db.contacts.get(contacts[0]!.id))!.remoteIds.hubspot!;
    const rco = (await db.companies.get(company.id))!.remoteIds.hubspot!;
    // Archived in HubSpot, plus an archived stranger that shares an address with an unlinked local contact.
    fake.setRemote('contacts', 'new', { email: 'twin@acme.test' });
    const stranger = [...fake.objects.contacts!.values()].find((x) => x.properties.email === 'twin@acme.test')!.id;
    const twin = await createContact({ emails: ['twin@acme.test'], name: 'Twin', source: { origin: 'manual' } });
    await db.outbox.clear();
    for (const [type, id] of [['contacts', rc], ['companies', rco], ['contacts', stranger]] as const) Object.assign(fake.objects[type]!.get(id)!, { archived: true, archivedAt: new Date().toISOString() });
    const { pullChanges } = await import('@/lib/sync/pull');
    const out = await pullChanges(p, clock);
    expect(out.deleted).toBe(2);
    expect((await db.contacts.get(contacts[0]!.id))!.deletedAt).toBeTypeOf('number');
    expect((await db.companies.get(company.id))!.deletedAt).toBeTypeOf('number');
    expect((await db.contacts.get(contacts[1]!.id))!.deletedAt).toBeUndefined();
    expect((await db.contacts.get(twin.id))!.deletedAt).toBeUndefined();
    expect(fake.byRoute.get('GET /crm/v3/objects/contacts')).toBe(1);
  });
});
