// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { addActivities, createContact, createDeal, ensureCompany, updateContact } from '@/lib/db/mutations';
import { runSync } from '@/lib/sync/engine';
import { importPipelines, pullChanges } from '@/lib/sync/pull';
import { refOf } from '@/lib/sync/providers/pipedrive';
import { startPipedriveFake, type PipedriveFake } from '../fakes/pipedrive/server';
import { FAST, fastClock, providerFor, seedLocal } from './helpers';

let fake: PipedriveFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const limits = () => ({ limit: { tokens: 20, windowMs: 2_000 / FAST }, searchLimit: { tokens: 10, windowMs: 2_000 / FAST } });

describe('Pipedrive provider against the fake', () => {
  it('pushes persons, organizations, activities, notes and tasks with links', async () => {
    fake = await startPipedriveFake(limits());
    const clock = fastClock();
    const { contacts } = await seedLocal({ contacts: 3, activitiesPer: 2, tasks: 2 });
    await addActivities([{ kind: 'note', occurredAt: 1_700_000_000_000, contactIds: [contacts[0]!.id], subject: 'Met at <expo>', body: 'Likes demos' }]);
    const r = await runSync({ provider: providerFor('pipedrive', fake.url, 'pd-token', clock), clock });
    expect(r.error).toBeUndefined();
    expect(r.push).toMatchObject({ ok: 1 + 3 + 6 + 1 + 2, invalid: 0, retry: 0 });
    expect(fake.tables.persons.size).toBe(3);
    expect(fake.tables.organizations.size).toBe(1);
    expect(fake.tables.activities.size).toBe(6 + 2);
    const note = [...fake.tables.notes.values()][0]!;
    expect(note.content).toContain('Met at &lt;expo&gt;');
    const pid = Number((await db.contacts.get(contacts[0]!.id))!.remoteIds.pipedrive);
    expect(note.person_id).toBe(pid);
    const person = fake.tables.persons.get(pid)!;
    expect(person.org_id).toBe(Number((await db.companies.toArray())[0]!.remoteIds.pipedrive));
    expect(await db.pipelines.get('pipedrive:1')).toBeDefined();
  });

  it('search-before-create: a push repeated after losing every remote id creates nothing', async () => {
    fake = await startPipedriveFake(limits());
    const clock = fastClock();
    await seedLocal({ contacts: 3, activitiesPer: 1 });
    const p = providerFor('pipedrive', fake.url, 'pd-token', clock);
    await runSync({ provider: p, clock, pull: false });
    const creates = fake.creates;
    // As if every answer had been lost: ids gone, rows back, in-flight markers left behind.
    await db.transaction('rw', [db.contacts, db.companies, db.activities, db.outbox, db.remoteMap, db.syncState], async () => {
      for (const [t, kind] of [[db.contacts, 'contact'], [db.companies, 'company'], [db.activities, 'activity']] as const) {
        for (const r of await (t as typeof db.contacts).toArray()) {
          await (t as typeof db.contacts).update(r.id, { remoteIds: {} });
          await db.outbox.add({ entity: kind, entityId: r.id, op: 'upsert', at: 1 });
          const key = `inflight:pipedrive:${kind}`;
          const cur = ((await db.syncState.get(key))?.value as Record<string, number> | undefined) ?? {};
          await db.syncState.put({ key, value: { ...cur, [r.id]: clock.now() - 1000 } });
        }
      }
      await db.remoteMap.clear();
    });
    const r = await runSync({ provider: p, clock, pull: false });
    expect(r.push).toMatchObject({ ok: 7, invalid: 0 });
    expect(fake.creates).toBe(creates);
    expect(fake.tables.persons.size).toBe(3);
    expect(fake.tables.activities.size).toBe(3);
    const acts = await db.activities.toArray();
    for (const a of acts) expect([...fake.tables.activities.values()].filter((x) => String(x.note).includes(refOf(a.id)))).toHaveLength(1);
  });

  it('a validation error is a failed item with Pipedrive’s message', async () => {
    fake = await startPipedriveFake(limits());
    const clock = fastClock();
    const c = await createContact({ emails: ['ok@acme.test'], name: 'Ok', source: { origin: 'manual' } });
    await db.contacts.update(c.id, { emails: ['broken@'] as never });
    await createContact({ emails: ['fine@acme.test'], name: 'Fine', source: { origin: 'manual' } });
    const r = await runSync({ provider: providerFor('pipedrive', fake.url, 'pd-token', clock), clock, pull: false });
    expect(r.push).toMatchObject({ ok: 1, invalid: 1 });
    const f = (await db.syncState.get(`fail:pipedrive:contact:${c.id}`))!.value as { message: string };
    expect(f.message).toMatch(/Invalid email address: broken@/);
  });

  it('401 stops the run; 429 waits x-ratelimit-reset and delivers', async () => {
    fake = await startPipedriveFake({ ...limits(), faults: { burst429Rate: 0.2, burst429Length: 2 }, seed: 3 });
    const clock = fastClock();
    await seedLocal({ contacts: 6, activitiesPer: 1 });
    const bad = await runSync({ provider: providerFor('pipedrive', fake.url, 'nope', clock), clock });
    expect(bad.authFailed).toBe(true);
    expect(bad.error).toMatch(/unauthorized access/);
    const r = await runSync({ provider: providerFor('pipedrive', fake.url, 'pd-token', clock), clock, pull: false });
    expect(r.push).toMatchObject({ ok: 13, retry: 0 });
    expect(fake.injected.r429).toBeGreaterThan(0);
    expect(fake.tables.persons.size).toBe(6);
  });

  it('pulls with cursor paging and updated_since; remote edits merge, pending local edits become conflicts', async () => {
    fake = await startPipedriveFake(limits());
    const clock = fastClock();
    const p = providerFor('pipedrive', fake.url, 'pd-token', clock);
    for (let i = 0; i < 1100; i++) fake.setRemote('persons', 10_000 + i, { name: `R ${i}`, emails: [{ value: `r${i}@remote.test`, primary: true }] });
    const first = await pullChanges(p, clock);
    expect(first.created).toBe(1100);
    expect(fake.byRoute.get('GET /api/v2/persons')).toBe(3);
    fake.setRemote('persons', 10_005, { name: 'Renamed' });
    const local = await db.contacts.where('emails').equals('r7@remote.test').first();
    await updateContact(local!.id, { name: 'Mine' });
    fake.setRemote('persons', 10_007, { name: 'Theirs' });
    const second = await pullChanges(p, clock);
    expect(second.created).toBe(0);
    expect((await db.contacts.where('emails').equals('r5@remote.test').first())!.name).toBe('Renamed');
    const conflicts = await db.conflicts.toArray();
    expect(conflicts.map((c) => [c.field, c.local, c.remote])).toEqual([['name', 'Mine', 'Theirs']]);
    expect(fake.byRoute.get('GET /api/v2/persons')).toBe(4);
  });

  it('remote deletions of persons, organizations and deals become tombstones (v1 /recents, deals by status=deleted)', async () => {
    fake = await startPipedriveFake(limits());
    const clock = fastClock();
    const p = providerFor('pipedrive', fake.url, 'pd-token', clock);
    // Linked the usual way: pushed from here (Pipedrive organizations carry no domain to pull by).
    const { company, contacts } = await seedLocal({ contacts: 3 });
    const other = await ensureCompany('other.test', 'Other');
    await runSync({ provider: p, clock });
    const deal = await createDeal({ name: 'Deal A', pipelineId: 'pipedrive:1', stageId: '1', contactIds: [contacts[0]!.id] });
    await runSync({ provider: p, clock });
    const rid = async (t: typeof db.contacts | typeof db.companies | typeof db.deals, id: string) => Number((await t.get(id))!.remoteIds.pipedrive);
    const [p0, p2, orgOther, dealId] = [await rid(db.contacts, contacts[0]!.id), await rid(db.contacts, contacts[2]!.id), await rid(db.companies, other.id), await rid(db.deals, deal.id)];
    expect(fake.tables.deals.get(dealId)).toMatchObject({ title: 'Deal A', person_id: p0 });
    // Created and deleted in Pipedrive between two pulls: never linked here, so the local
    // contact who happens to share the address is not ours to delete.
    const bystander = await createContact({ emails: ['late@gone.test'], name: 'Bystander', source: { origin: 'manual' } });
    await db.outbox.clear();
    fake.setRemote('persons', 150, { name: 'Late', emails: [{ value: 'late@gone.test', primary: true }] });
    fake.setRemote('persons', 150, { is_deleted: true });
    const edited = contacts[2]!;
    await updateContact(edited.id, { name: 'Edited here' });
    for (const id of [p0, p2]) fake.setRemote('persons', id, { is_deleted: true });
    fake.setRemote('organizations', orgOther, { is_deleted: true });
    fake.setRemote('deals', dealId, { is_deleted: true, status: 'deleted' });
    fake.byRoute.clear();
    const second = await pullChanges(p, clock);
    expect(second).toMatchObject({ deleted: 3, conflicts: 1 });
    expect((await db.contacts.get(contacts[0]!.id))!.deletedAt).toBeTypeOf('number');
    expect((await db.contacts.get(contacts[1]!.id))!.deletedAt).toBeUndefined();
    // A pending local edit is not overwritten by a deletion: it is a conflict to resolve.
    expect((await db.contacts.get(edited.id))!.deletedAt).toBeUndefined();
    expect((await db.conflicts.toArray()).map((c) => [c.entityId, c.field])).toEqual([[edited.id, '_deleted']]);
    expect((await db.contacts.get(bystander.id))!.deletedAt).toBeUndefined();
    expect((await db.companies.get(other.id))!.deletedAt).toBeTypeOf('number');
    expect((await db.companies.get(company.id))!.deletedAt).toBeUndefined();
    expect((await db.deals.get(deal.id))!.deletedAt).toBeTypeOf('number');
    // Persons and organizations: one recents walk each; deleted deals come with the v2 list.
    expect(fake.byRoute.get('GET /v1/recents')).toBe(2);
    const third = await pullChanges(p, clock);
    expect(third).toMatchObject({ created: 0, updated: 0, deleted: 0, conflicts: 0 });
  });

  it('walks /recents pages with start and more_items_in_collection', async () => {
    fake = await startPipedriveFake(limits());
    const clock = fastClock();
    const p = providerFor('pipedrive', fake.url, 'pd-token', clock);
    for (let i = 0; i < 1200; i++) fake.setRemote('persons', 1000 + i, { name: `P ${i}`, emails: [{ value: `q${i}@many.test`, primary: true }] });
    await pullChanges(p, clock);
    for (let i = 0; i < 1200; i += 2) fake.setRemote('persons', 1000 + i, { is_deleted: true });
    fake.byRoute.clear();
    const out = await pullChanges(p, clock);
    expect(out.deleted).toBe(600);
    // 600 deletions since the watermark: two pages of 500.
    expect(fake.byRoute.get('GET /v1/recents')).toBe(2 + 1);
    expect(await db.contacts.filter((c) => Boolean(c.deletedAt)).count()).toBe(600);
  });
});
