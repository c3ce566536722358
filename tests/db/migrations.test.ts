import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { SCHEMA_V1, SCHEMA_V2, ThreadlineDB } from '@/lib/db/schema';
import { timelineOf, search } from '@/lib/db/queries';

/**
 * Opens a database as an earlier version wrote it, fills it, then opens it with the current
 * schema and checks every record survived and the new indexes are populated.
 */
async function fillV1(name: string) {
  const old = new Dexie(name);
  old.version(1).stores(SCHEMA_V1);
  await old.open();
  await old.table('contacts').bulkAdd([
    { id: 'c1', emails: ['ana@acme.io'], name: 'Ana Lima', status: 'new', source: { origin: 'manual' }, createdAt: 1, updatedAt: 1, remoteIds: {} },
    { id: 'c2', emails: ['bo@beta.dev', 'bo.b@beta.dev'], name: 'Bo', status: 'active', source: { origin: 'import' }, createdAt: 2, updatedAt: 2, remoteIds: { hubspot: '901' } },
  ]);
  await old.table('companies').add({ id: 'co1', domain: 'acme.io', name: 'Acme', createdAt: 1, updatedAt: 1, remoteIds: {} });
  await old.table('deals').add({ id: 'd1', name: 'Acme renewal', pipelineId: 'default', stageId: 'lead', contactIds: ['c1'], status: 'open', stageHistory: [{ stageId: 'lead', enteredAt: 1 }], evidence: {}, createdAt: 1, updatedAt: 1, remoteIds: {} });
  await old.table('activities').bulkAdd([
    { id: 'a1', kind: 'email', occurredAt: 100, contactIds: ['c1', 'c2'], externalKey: 'gmail:t:1', participants: [], createdAt: 100, remoteIds: {} },
    { id: 'a2', kind: 'note', occurredAt: 200, contactIds: ['c1'], participants: [], createdAt: 200, remoteIds: {} },
  ]);
  await old.table('tasks').add({ id: 't1', kind: 'follow_up', title: 'Ping Ana', dueAt: 500, status: 'open', createdAt: 1, updatedAt: 1, remoteIds: {} });
  await old.table('outbox').bulkAdd([
    { entity: 'contact', entityId: 'c1', op: 'upsert', at: 1 },
    { entity: 'activity', entityId: 'a1', op: 'upsert', at: 100 },
  ]);
  old.close();
}

describe('schema migrations', () => {
  it('upgrades a v1 database to the current version without losing a record', async () => {
    const name = `migrate-${crypto.randomUUID()}`;
    await fillV1(name);
    const db = new ThreadlineDB(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(2);

    expect(await db.contacts.count()).toBe(2);
    expect(await db.companies.count()).toBe(1);
    expect(await db.deals.count()).toBe(1);
    expect(await db.activities.count()).toBe(2);
    expect(await db.tasks.count()).toBe(1);
    expect((await db.outbox.toArray()).map((o) => o.entityId)).toEqual(['c1', 'a1']);
    expect((await db.contacts.get('c2'))?.remoteIds).toEqual({ hubspot: '901' });

    // The timeline table is backfilled from each activity's contacts.
    expect(await db.timeline.where('activityId').equals('a1').count()).toBe(2);
    expect((await db.contacts.get('c1'))?.terms).toEqual(expect.arrayContaining(['ana', 'lima', 'ana@acme.io', 'acme.io']));
    expect((await db.companies.get('co1'))?.terms).toEqual(expect.arrayContaining(['acme', 'acme.io']));
    // v3: remote ids already on records become sync map rows.
    expect(await db.remoteMap.toArray()).toEqual([{ providerId: 'hubspot', kind: 'contact', localId: 'c2', remoteId: '901' }]);
    db.close();
  });

  it('upgrades a v2 database to v3: remote ids of every kind are indexed for pulls', async () => {
    const name = `migrate-v2-${crypto.randomUUID()}`;
    const old = new Dexie(name);
    old.version(2).stores(SCHEMA_V2);
    await old.open();
    await old.table('deals').add({ id: 'd1', name: 'X', pipelineId: 'default', stageId: 'lead', contactIds: [], status: 'open', stageHistory: [], evidence: {}, createdAt: 1, updatedAt: 1, remoteIds: { pipedrive: '7', twenty: 'd1' } });
    await old.table('activities').add({ id: 'a1', kind: 'note', occurredAt: 1, contactIds: [], participants: [], createdAt: 1, remoteIds: { hubspot: '55' } });
    await old.table('syncState').put({ key: 'cursor:hubspot:contact', value: { since: 5, page: null, maxSeen: 5 } });
    old.close();
    const db = new ThreadlineDB(name);
    await db.open();
    expect(db.verno).toBe(3);
    expect(await db.remoteMap.get(['pipedrive', 'deal', '7'])).toMatchObject({ localId: 'd1' });
    expect(await db.remoteMap.get(['twenty', 'deal', 'd1'])).toMatchObject({ localId: 'd1' });
    expect(await db.remoteMap.where('[providerId+kind+localId]').equals(['hubspot', 'activity', 'a1']).first()).toMatchObject({ remoteId: '55' });
    expect((await db.syncState.get('cursor:hubspot:contact'))?.value).toEqual({ since: 5, page: null, maxSeen: 5 });
    db.close();
  });

  it('serves the upgraded data through the current queries', async () => {
    const name = `migrate-q-${crypto.randomUUID()}`;
    await fillV1(name);
    // Queries use the default handle; point a fresh handle at the migrated file and compare.
    const db = new ThreadlineDB(name);
    await db.open();
    const links = await db.timeline.where('[contactId+occurredAt]').between(['c1', Dexie.minKey], ['c1', Dexie.maxKey]).reverse().toArray();
    expect(links.map((l) => l.activityId)).toEqual(['a2', 'a1']);
    expect(new Set(await db.contacts.where('terms').startsWith('bo').primaryKeys())).toEqual(new Set(['c2']));
    db.close();
    // The default database starts empty in tests; the query functions work on it too.
    expect((await timelineOf('c1')).items).toEqual([]);
    expect(await search('ana')).toEqual([]);
  });
});
