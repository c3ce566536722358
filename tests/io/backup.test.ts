import { db } from '@/lib/db';
import { addActivities, createContact, createDeal, createTask, deleteActivity, ensureCompany, ensureDefaults, moveDealStage, saveSettings, updateContact } from '@/lib/db/mutations';
import { search, timelineOf } from '@/lib/db/queries';
import { BACKUP_FORMAT, ImportRejected, exportBackup, importBackupJson, parseBackup, resetAll } from '@/lib/io';
import { fixture } from './helpers';

const NOW = Date.UTC(2026, 10, 20, 12);

async function seed() {
  await ensureDefaults();
  await saveSettings({ selfEmails: ['me@mine.example'], privacy: 'subject', onboarded: true });
  const co = await ensureCompany('acme.example', 'Acme', { now: NOW });
  const ann = await createContact({ emails: ['ann@acme.example'], name: 'Ann Acme', companyId: co.id, source: { origin: 'capture', site: 'gmail' } }, { now: NOW });
  const bob = await createContact({ emails: ['bob@acme.example', 'robert@acme.example'], source: { origin: 'manual' }, remoteIds: { hubspot: '77' } }, { now: NOW });
  const deal = await createDeal({ name: 'Acme rollout', pipelineId: 'default', stageId: 'lead', contactIds: [ann.id], amount: { value: 12000, currency: 'EUR' } }, { now: NOW });
  await moveDealStage(deal.id, { toStageId: 'discovery', evidence: { need: 'Needs a CRM' }, nextStep: { text: 'Demo', dueAt: NOW + 86400_000 } }, { now: NOW + 1 });
  const { added } = await addActivities(
    [
      { kind: 'email', occurredAt: NOW - 5000, subject: 'Hello', contactIds: [ann.id, bob.id], externalKey: 'gmail:t:1', site: 'gmail' },
      { kind: 'note', occurredAt: NOW - 4000, body: 'Deleted note', contactIds: [ann.id] },
    ],
    { now: NOW },
  );
  await deleteActivity(added[1]!.id, { now: NOW });
  await createTask({ kind: 'follow_up', title: 'Call Ann', dueAt: NOW + 3600_000, contactId: ann.id }, { now: NOW });
  return { ann, bob, deal };
}

async function rejection(p: Promise<unknown>): Promise<ImportRejected> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ImportRejected);
  return e as ImportRejected;
}

async function snapshot() {
  return {
    outbox: await db.outbox.count(),
    contacts: await db.contacts.toArray(),
    deals: await db.deals.toArray(),
    settings: await db.settings.toArray(),
    pipelines: await db.pipelines.toArray(),
  };
}

describe('JSON backup', () => {
  it('round-trips: export, reset, import, export gives identical data and rebuilt indexes', async () => {
    const { ann, bob } = await seed();
    await updateContact(bob.id, { lifecycleStage: 'customer' }, { now: NOW });
    expect((await db.contacts.get(bob.id))?.customerQuietSince).toBeTypeOf('number');
    const first = await exportBackup({ now: NOW });
    expect(first).toMatchObject({ format: BACKUP_FORMAT, version: 1, exportedAt: '2026-11-20T12:00:00.000Z' });
    expect(first.data.contacts[0]).not.toHaveProperty('terms');
    // The v4 index-only fields are rebuilt on write, so a backup does not carry them.
    for (const c of first.data.contacts) for (const k of ['awaitingReplySince', 'customerQuietSince']) expect(c).not.toHaveProperty(k);

    await resetAll();
    expect(await db.contacts.count()).toBe(0);

    const progress: number[] = [];
    const r = await importBackupJson(JSON.stringify(first), { now: NOW, onProgress: (d) => progress.push(d) });
    expect(r.counts).toEqual({ contacts: 2, companies: 1, deals: 1, activities: 3, tasks: 1, pipelines: 1 });
    expect(progress.at(-1)).toBe(8);

    const second = await exportBackup({ now: NOW });
    expect(second).toEqual(first);

    // Derived indexes are rebuilt: timeline (without the deleted note) and search terms.
    const page = await timelineOf(ann.id);
    expect(page.items.map((a) => a.kind).sort()).toEqual(['email', 'stage_change']);
    expect((await timelineOf(bob.id)).items).toHaveLength(1);
    expect((await search('acme')).map((h) => h.kind).sort()).toEqual(['company', 'contact', 'contact', 'deal']);
    // Bob already lives in HubSpot: only records without remote ids are queued again.
    const queued = await db.outbox.toArray();
    expect(queued.some((q) => q.entityId === bob.id)).toBe(false);
    expect(queued.some((q) => q.entityId === ann.id)).toBe(true);
  });

  it('a restore drops every pull watermark, so the next pull fetches CRM changes the replaced data had merged', async () => {
    await seed();
    const file = JSON.stringify(await exportBackup({ now: NOW }));
    await db.syncState.bulkPut([
      { key: 'cursor:hubspot:contact', value: { since: NOW + 60_000, page: null, maxSeen: NOW + 60_000 } },
      { key: 'cursor:pipedrive:deal', value: { since: NOW, page: 'l:abc', maxSeen: NOW } },
      { key: 'status:hubspot', value: { lastSuccessAt: NOW } },
    ]);
    await importBackupJson(file, { now: NOW });
    expect((await db.syncState.toArray()).map((r) => r.key)).toEqual(['status:hubspot']);
  });

  it('rejects a foreign JSON file and writes nothing', async () => {
    await seed();
    const before = await snapshot();
    const e = await rejection(importBackupJson(fixture('backup-foreign.json')));
    expect(e.message).toBe('File: this is not a Threadline backup (its "format" is not "threadline-backup")');
    expect(await snapshot()).toEqual(before);
  });

  it('rejects a truncated file as invalid JSON and writes nothing', async () => {
    await seed();
    const before = await snapshot();
    const e = await rejection(importBackupJson(fixture('backup-truncated.json')));
    expect(e.issues[0]!.message).toMatch(/^the file is not valid JSON/);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects a backup from a newer version', async () => {
    const b = await exportBackup();
    const e = await rejection(importBackupJson(JSON.stringify({ ...b, version: 2 })));
    expect(e.message).toMatch(/newer Threadline \(format version 2\)/);
  });

  it('rejects one corrupt record deep in the file, naming its path, and writes nothing', async () => {
    await seed();
    const b = await exportBackup();
    const before = await snapshot();
    const broken = structuredClone(b);
    (broken.data.contacts[1] as { emails: string[] }).emails = ['not-an-address'];
    const e = await rejection(importBackupJson(JSON.stringify(broken)));
    expect(e.issues).toEqual([{ line: 0, field: 'data.contacts[1].emails[0]', message: 'not an email address' }]);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects broken references and duplicate unique keys before writing', () => {
    const base = { format: BACKUP_FORMAT, version: 1, exportedAt: new Date(NOW).toISOString() };
    const contact = (id: string, email: string) => ({ id, emails: [email], status: 'new', source: { origin: 'manual' }, createdAt: NOW, updatedAt: NOW, remoteIds: {} });
    const pipeline = { id: 'p', name: 'P', stages: [{ id: 's', name: 'S', order: 0, probability: 0.5 }], remoteIds: {} };
    const deal = { id: 'd', name: 'D', pipelineId: 'p', stageId: 'nope', contactIds: [], status: 'open', stageHistory: [], createdAt: NOW, updatedAt: NOW, remoteIds: {} };
    const text = JSON.stringify({
      ...base,
      data: { contacts: [contact('a', 'x@y.com'), contact('b', 'X@y.com')], companies: [], deals: [deal], activities: [], tasks: [], pipelines: [pipeline], settings: {} },
    });
    expect(() => parseBackup(text)).toThrow(ImportRejected);
    try {
      parseBackup(text);
    } catch (e) {
      expect((e as ImportRejected).issues).toEqual([
        { line: 0, field: 'data.contacts[1]', message: 'address "x@y.com" is also used by data.contacts[0]' },
        { line: 0, field: 'data.deals[0].stageId', message: 'pipeline "P" has no stage "nope"' },
      ]);
    }
  });
});

describe('resetAll', () => {
  it('clears every table and restores the default pipeline and un-onboarded settings', async () => {
    await seed();
    await db.credentials.put({ providerId: 'hubspot', kind: 'token', secret: 's', connectedAt: NOW });
    await resetAll();
    for (const t of ['contacts', 'companies', 'deals', 'activities', 'timeline', 'tasks', 'outbox', 'credentials'] as const) expect(await db[t].count()).toBe(0);
    expect((await db.pipelines.toArray()).map((p) => p.id)).toEqual(['default']);
    expect((await db.settings.get('settings'))?.value).toMatchObject({ onboarded: false, selfEmails: [], privacy: 'snippet' });
  });
});
