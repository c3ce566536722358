// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createContact, createDeal, deleteContact } from '@/lib/db/mutations';
import { runSync } from '@/lib/sync/engine';
import { pullChanges } from '@/lib/sync/pull';
import { startTwentyFake, type TwentyFake } from '../fakes/twenty/server';
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
    expect(fake.byRoute.get('GET /rest/people')).toBe(3);
    fake.setRemote('people', `10000000-0000-4000-8000-${String(9).padStart(12, '0')}`, { jobTitle: 'VP' });
    const next = await pullChanges(p, clock);
    expect(next.updated).toBe(1);
    expect((await db.contacts.where('emails').equals('t9@tw.test').first())!.title).toBe('VP');
  });
});
