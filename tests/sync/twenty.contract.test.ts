// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createContact, createDeal, deleteContact, updateContact } from '@/lib/db/mutations';
import { runSync } from '@/lib/sync/engine';
import { importPipelines, pullChanges } from '@/lib/sync/pull';
import { startTwentyFake, type TwentyFake, type TwStageOption } from '../fakes/twenty/server';
import { FAST, fastClock, providerFor, seedLocal } from './helpers';

let fake: TwentyFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const limits = () => ({ limit: { tokens: 100, windowMs: 1_000 / FAST } });

describe('Twenty provider against the fake', () => {
  it('pushes with our UUIDs as ids, links notes and tasks through targets, and a repeat creates nothing', async () => {
    fake = await startTwentyFake(limits());
    const clock = fastClock();
    const { contacts } = await seedLocal({ contacts: 4, activitiesPer: 2, tasks: 3 });
    const p = providerFor('twenty', fake.url, 'tw-key', clock);
    const r = await runSync({ provider: p, clock });
    expect(r.error).toBeUndefined();
    expect(r.push).toMatchObject({ ok: 1 + 4 + 8 + 3, invalid: 0, retry: 0 });
    expect(fake.tables.people.get(contacts[0]!.id)).toMatchObject({ emails: { primaryEmail: 'person0@acme.test' } });
    expect(fake.tables.noteTargets.size).toBe(8);
    expect(fake.tables.taskTargets.size).toBe(3);
    const creates = fake.creates;
    // Everything again, as after a lost answer.
    for (const t of [db.contacts, db.activities, db.tasks, db.companies] as const) for (const x of await (t as typeof db.contacts).toArray()) await db.outbox.add({ entity: t === db.contacts ? 'contact' : t === db.activities ? 'activity' : t === db.tasks ? 'task' : 'company', entityId: x.id, op: 'upsert', at: 1 });
    const again = await runSync({ provider: p, clock, pull: false });
    expect(again.push?.ok).toBe(16);
    expect(fake.creates).toBe(creates);
  });

  it('bisects a refused batch down to the bad record and reports Twenty’s message', async () => {
    fake = await startTwentyFake(limits());
    const clock = fastClock();
    await seedLocal({ contacts: 5 });
    // Someone else already has this address in Twenty.
    fake.setRemote('people', '00000000-0000-4000-8000-000000000001', { emails: { primaryEmail: 'person3@acme.test' } });
    const r = await runSync({ provider: providerFor('twenty', fake.url, 'tw-key', clock), clock, pull: false });
    expect(r.push).toMatchObject({ ok: 5, invalid: 1 });
    const fails = await db.syncState.where('key').startsWith('fail:twenty:').toArray();
    expect((fails[0]!.value as { message: string }).message).toMatch(/Duplicate Emails/);
  });

  it('deals use the imported stages; deletes are DELETEs; 401 is reported', async () => {
    fake = await startTwentyFake(limits());
    const clock = fastClock();
    const p = providerFor('twenty', fake.url, 'tw-key', clock);
    await runSync({ provider: p, clock });
    const c = await createContact({ emails: ['buyer@big.test'], name: 'Buyer', source: { origin: 'manual' } });
    const d = await createDeal({ name: 'Big deal', pipelineId: 'twenty:opportunity-stage', stageId: 'MEETING', contactIds: [c.id], amount: { value: 1200, currency: 'EUR' } });
    await runSync({ provider: p, clock });
    expect(fake.tables.opportunities.get(d.id)).toMatchObject({ stage: 'MEETING', pointOfContactId: c.id, amount: { amountMicros: 1_200_000_000, currencyCode: 'EUR' } });
    await deleteContact(c.id);
    await runSync({ provider: p, clock, pull: false });
    expect(fake.tables.people.get(c.id)?.deletedAt).toBeTruthy();
    const bad = await runSync({ provider: providerFor('twenty', fake.url, 'nope', clock), clock });
    expect(bad.authFailed).toBe(true);
  });

  it('pulls pages by updatedAt and starting_after', async () => {
    fake = await startTwentyFake(limits());
    const clock = fastClock();
    for (let i = 0; i < 450; i++) fake.setRemote('people', `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`, { name: { firstName: 'T', lastName: String(i) }, emails: { primaryEmail: `t${i}@tw.test`, additionalEmails: [] } });
    const p = providerFor('twenty', fake.url, 'tw-key', clock);
    const out = await pullChanges(p, clock);
    expect(out.created).toBe(450);
    // Three pages of live people, then one (empty) page of soft-deleted ones.
    expect(fake.byRoute.get('GET /rest/people')).toBe(3 + 1);
    fake.setRemote('people', `10000000-0000-4000-8000-${String(9).padStart(12, '0')}`, { jobTitle: 'VP' });
    const next = await pullChanges(p, clock);
    expect(next.updated).toBe(1);
    expect((await db.contacts.where('emails').equals('t9@tw.test').first())!.title).toBe('VP');
  });

  it('soft-deleted records (listed through a deletedAt filter) become tombstones; a pending edit makes a conflict', async () => {
    fake = await startTwentyFake(limits());
    const clock = fastClock();
    const p = providerFor('twenty', fake.url, 'tw-key', clock);
    const { company, contacts } = await seedLocal({ contacts: 3 });
    await runSync({ provider: p, clock });
    const deal = await createDeal({ name: 'Soon gone', pipelineId: 'twenty:opportunity-stage', stageId: 'NEW', contactIds: [contacts[0]!.id] });
    await runSync({ provider: p, clock });
    // Deleted in Twenty's UI: deletedAt set, updatedAt left alone.
    fake.softDelete('people', contacts[0]!.id);
    fake.softDelete('companies', company.id);
    fake.softDelete('opportunities', deal.id);
    fake.softDelete('people', contacts[2]!.id);
    await updateContact(contacts[2]!.id, { name: 'Edited here' });
    const out = await pullChanges(p, clock);
    expect(out).toMatchObject({ deleted: 3, conflicts: 1 });
    expect((await db.contacts.get(contacts[0]!.id))!.deletedAt).toBeTypeOf('number');
    expect((await db.contacts.get(contacts[1]!.id))!.deletedAt).toBeUndefined();
    expect((await db.contacts.get(contacts[2]!.id))!.deletedAt).toBeUndefined();
    expect((await db.conflicts.toArray()).map((c) => [c.entityId, c.field])).toEqual([[contacts[2]!.id, '_deleted']]);
    expect((await db.companies.get(company.id))!.deletedAt).toBeTypeOf('number');
    expect((await db.deals.get(deal.id))!.deletedAt).toBeTypeOf('number');
    const again = await pullChanges(p, clock);
    expect(again).toMatchObject({ deleted: 0, conflicts: 0, created: 0 });
  });

  it('a first pull finds soft deletions too (deletedAt is NOT_NULL), for records linked before a reconnect', async () => {
    fake = await startTwentyFake(limits());
    const clock = fastClock();
    const p = providerFor('twenty', fake.url, 'tw-key', clock);
    const { contacts } = await seedLocal({ contacts: 2 });
    await runSync({ provider: p, clock, pull: false });
    fake.softDelete('people', contacts[1]!.id);
    const out = await pullChanges(p, clock);
    expect(out.deleted).toBe(1);
    expect((await db.contacts.get(contacts[1]!.id))!.deletedAt).toBeTypeOf('number');
  });

  const custom: TwStageOption[] = [
    { value: 'DEMO', label: 'Demo booked', position: 1 },
    { value: 'LEAD', label: 'Lead', position: 0 },
    { value: 'CLOSED_WON', label: 'Won', position: 3 },
    { value: 'CLOSED_LOST', label: 'Lost', position: 4 },
    { value: 'TRIAL', label: 'Trial', position: 2 },
  ];

  for (const metadata of ['inline', 'graphql'] as const) {
    it(`imports the workspace’s own opportunity stages from the metadata API (${metadata})`, async () => {
      fake = await startTwentyFake({ ...limits(), stages: custom, metadata });
      const clock = fastClock();
      const p = providerFor('twenty', fake.url, 'tw-key', clock);
      await importPipelines(p);
      const pl = (await db.pipelines.get('twenty:opportunity-stage'))!;
      expect(pl.stages.map((st) => [st.id, st.name, st.outcome])).toEqual([
        ['LEAD', 'Lead', 'open'],
        ['DEMO', 'Demo booked', 'open'],
        ['TRIAL', 'Trial', 'open'],
        ['CLOSED_WON', 'Won', 'won'],
        ['CLOSED_LOST', 'Lost', 'lost'],
      ]);
      expect(fake.byRoute.get('POST /metadata') ?? 0).toBe(metadata === 'graphql' ? 1 : 0);
      // A remote opportunity at a custom stage lands there; a local one pushed at a custom stage is accepted.
      fake.setRemote('opportunities', '30000000-0000-4000-8000-000000000001', { name: 'In trial', stage: 'TRIAL' });
      await pullChanges(p, clock);
      expect((await db.deals.toArray()).map((d) => [d.name, d.stageId, d.pipelineId])).toEqual([['In trial', 'TRIAL', 'twenty:opportunity-stage']]);
      const c = await createContact({ emails: ['d@demo.test'], name: 'D', source: { origin: 'manual' } });
      const d = await createDeal({ name: 'Demo deal', pipelineId: 'twenty:opportunity-stage', stageId: 'DEMO', contactIds: [c.id] });
      const r = await runSync({ provider: p, clock, pull: false });
      expect(r.push).toMatchObject({ invalid: 0 });
      expect(fake.tables.opportunities.get(d.id)).toMatchObject({ stage: 'DEMO' });
    });
  }

  it('a renamed or added stage is picked up on the next import; local stage rules survive', async () => {
    fake = await startTwentyFake({ ...limits(), stages: custom.slice(0, 2) });
    const clock = fastClock();
    const p = providerFor('twenty', fake.url, 'tw-key', clock);
    await importPipelines(p);
    const pl = (await db.pipelines.get('twenty:opportunity-stage'))!;
    await db.pipelines.put({ ...pl, stages: pl.stages.map((st) => (st.id === 'DEMO' ? { ...st, requiredEvidence: ['budget'], staleAfterDays: 3 } : st)) });
    fake.stages = [{ ...custom[0]!, label: 'Demo done' }, custom[1]!, { value: 'NEGOTIATION', label: 'Negotiation', position: 5 }];
    await importPipelines(p);
    const next = (await db.pipelines.get('twenty:opportunity-stage'))!;
    expect(next.stages.map((st) => st.name)).toEqual(['Lead', 'Demo done', 'Negotiation']);
    expect(next.stages.find((st) => st.id === 'DEMO')).toMatchObject({ requiredEvidence: ['budget'], staleAfterDays: 3 });
  });

  it('falls back to Twenty’s default stages when the metadata API has no stage field', async () => {
    fake = await startTwentyFake({ ...limits(), stages: [], metadata: 'graphql' });
    const clock = fastClock();
    await importPipelines(providerFor('twenty', fake.url, 'tw-key', clock));
    expect((await db.pipelines.get('twenty:opportunity-stage'))!.stages.map((st) => st.id)).toEqual(['NEW', 'SCREENING', 'MEETING', 'PROPOSAL', 'CUSTOMER']);
  });
});
