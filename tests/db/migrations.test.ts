import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, ThreadlineDB } from '@/lib/db/schema';
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
    expect(db.verno).toBe(4);
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

  describe.each([1, 2, 3] as const)('a v%i database opens at v4', (version) => {
    it('with every record kept and the derived facts, indexes and rule keys filled', async () => {
      const name = `migrate-v${version}-to-v4-${crypto.randomUUID()}`;
      const written = await fillAt(version, name);
      const db = new ThreadlineDB(name);
      await db.open();
      expect(db.verno).toBe(4);

      // Every record of every table that version had, unchanged apart from the added fields.
      for (const [table, rows] of Object.entries(written)) {
        const now = await db.table(table).toArray();
        expect(now, table).toHaveLength(rows.length);
        for (const r of rows) expect(now, table).toContainEqual(expect.objectContaining(r));
      }

      const ana = (await db.contacts.get('c1'))!;
      expect(ana.lastOutbound).toEqual({ id: 'a3', occurredAt: 300, subject: 'Pricing', sourceUrl: 'https://mail.google.com/mail/u/0/#inbox/t3', dealId: 'd1' });
      // Her reply (250) predates the latest outbound email (300): she is awaited.
      expect(ana.lastReply).toEqual({ id: 'a4', occurredAt: 250 });
      expect(ana.awaitingReplySince).toBe(300);
      expect(ana.customerQuietSince).toBeUndefined();
      const bo = (await db.contacts.get('c2'))!;
      // From his second address, after the outbound one; the deleted email at 500 does not count.
      expect(bo.lastOutbound?.id).toBe('a6');
      expect(bo.lastReply).toEqual({ id: 'a5', occurredAt: 400 });
      expect(bo.awaitingReplySince).toBeUndefined();
      expect(bo.customerQuietSince).toBe(150);
      expect((await db.deals.get('d1'))?.lastActivityAt).toBe(300);

      expect(await db.contacts.where('awaitingReplySince').aboveOrEqual(0).primaryKeys()).toEqual(['c1']);
      expect(await db.contacts.where('customerQuietSince').belowOrEqual(1000).primaryKeys()).toEqual(['c2']);
      expect(await db.ruleKeys.toArray()).toEqual([
        { ruleKey: 'next-step:d1', taskId: 't4' },
        { ruleKey: 'no_reply:c1:a3', taskId: 't2' },
      ]);
      // Earlier versions' derived data is still there too.
      expect(await db.timeline.where('[contactId+occurredAt]').between(['c1', Dexie.minKey], ['c1', Dexie.maxKey]).count()).toBe(4);
      expect(await db.remoteMap.get(['hubspot', 'contact', '901'])).toMatchObject({ localId: 'c2' });
      db.close();
    });
  });
});

const EMAIL = (id: string, occurredAt: number, direction: 'inbound' | 'outbound', from: string, contactIds: string[], extra: object = {}) => ({
  id,
  kind: 'email',
  occurredAt,
  direction,
  participants: [{ email: from, role: 'from' }],
  contactIds,
  externalKey: `gmail:t:${id}`,
  createdAt: occurredAt,
  remoteIds: {},
  ...extra,
});

/** The same representative store, written as version 1, 2 or 3 would have held it. Returns what it wrote, by table. */
async function fillAt(version: 1 | 2 | 3, name: string): Promise<Record<string, object[]>> {
  const old = new Dexie(name);
  old.version(version).stores(version === 1 ? SCHEMA_V1 : version === 2 ? SCHEMA_V2 : SCHEMA_V3);
  await old.open();
  const activities = [
    { id: 'a1', kind: 'email', occurredAt: 100, contactIds: ['c1', 'c2'], externalKey: 'gmail:t:1', participants: [], createdAt: 100, remoteIds: {} },
    { id: 'a2', kind: 'note', occurredAt: 200, contactIds: ['c1'], dealId: 'd1', participants: [], createdAt: 200, remoteIds: {} },
    EMAIL('a3', 300, 'outbound', 'me@us.com', ['c1'], { subject: 'Pricing', sourceUrl: 'https://mail.google.com/mail/u/0/#inbox/t3', dealId: 'd1' }),
    EMAIL('a4', 250, 'inbound', 'ana@acme.io', ['c1']),
    EMAIL('a5', 400, 'inbound', 'bo.b@beta.dev', ['c2']),
    EMAIL('a6', 350, 'outbound', 'me@us.com', ['c2']),
    EMAIL('a7', 500, 'outbound', 'me@us.com', ['c2'], { dealId: 'd1', deletedAt: 510 }),
  ];
  const rows: Record<string, object[]> = {
    contacts: [
      { id: 'c1', emails: ['ana@acme.io'], name: 'Ana Lima', status: 'new', lifecycleStage: 'lead', source: { origin: 'manual' }, createdAt: 1, updatedAt: 1, remoteIds: {} },
      { id: 'c2', emails: ['bo@beta.dev', 'bo.b@beta.dev'], name: 'Bo', status: 'active', lifecycleStage: 'customer', lastTouchedAt: 150, source: { origin: 'import' }, createdAt: 2, updatedAt: 2, remoteIds: { hubspot: '901' } },
    ],
    companies: [{ id: 'co1', domain: 'acme.io', name: 'Acme', createdAt: 1, updatedAt: 1, remoteIds: {} }],
    deals: [{ id: 'd1', name: 'Acme renewal', pipelineId: 'default', stageId: 'lead', contactIds: ['c1'], status: 'open', stageHistory: [{ stageId: 'lead', enteredAt: 1 }], evidence: {}, createdAt: 1, updatedAt: 1, remoteIds: {} }],
    activities,
    tasks: [
      { id: 't1', kind: 'follow_up', title: 'Ping Ana', dueAt: 500, status: 'open', createdAt: 1, updatedAt: 1, remoteIds: {} },
      { id: 't2', kind: 'no_reply', title: 'Follow up with Ana', dueAt: 600, status: 'open', contactId: 'c1', ruleKey: 'no_reply:c1:a3', createdAt: 1, updatedAt: 1, remoteIds: {} },
      { id: 't3', kind: 'stale_deal', title: 'Gone quiet', dueAt: 5, status: 'open', dealId: 'd1', ruleKey: 'retired:5:stale_deal:d1:1', deletedAt: 5, createdAt: 1, updatedAt: 5, remoteIds: {} },
      { id: 't4', kind: 'next_step', title: 'Demo', dueAt: 700, status: 'open', dealId: 'd1', ruleKey: 'next-step:d1', createdAt: 1, updatedAt: 1, remoteIds: {} },
    ],
    pipelines: [{ id: 'default', name: 'Sales', isDefault: true, remoteIds: {}, stages: [{ id: 'lead', name: 'Lead in', order: 0, probability: 0.1, requiredEvidence: [], staleAfterDays: 14, outcome: 'open' }] }],
    outbox: [
      { seq: 1, entity: 'contact', entityId: 'c1', op: 'upsert', at: 1 },
      { seq: 2, entity: 'activity', entityId: 'a3', op: 'upsert', at: 300 },
    ],
    settings: [{ key: 'settings', value: { selfEmails: ['me@us.com'] } }],
  };
  if (version >= 2) {
    // v2 and later held the timeline table (deleted activities keep no links).
    rows.timeline = activities.filter((a) => !('deletedAt' in a)).flatMap((a) => a.contactIds.map((contactId) => ({ activityId: a.id, contactId, occurredAt: a.occurredAt, kind: a.kind })));
    rows.syncState = [{ key: 'cursor:hubspot:contact', value: { since: 5, page: null, maxSeen: 5 } }];
    rows.conflicts = [{ id: 1, entity: 'contact', entityId: 'c1', providerId: 'hubspot', field: 'name', local: 'Ana Lima', remote: 'Ana L.', detectedAt: 9 }];
    rows.credentials = [{ providerId: 'hubspot', kind: 'token', secret: 'pat-xyz', connectedAt: 3 }];
  }
  if (version >= 3) rows.remoteMap = [{ providerId: 'hubspot', kind: 'contact', localId: 'c2', remoteId: '901' }];
  for (const [table, r] of Object.entries(rows)) await old.table(table).bulkAdd(r);
  old.close();
  return rows;
}
