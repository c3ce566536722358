import { describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import {
  addActivities,
  completeTask,
  createContact,
  createDeal,
  createTask,
  ensureCompany,
  ensureDefaults,
  moveDealStage,
  snoozeTask,
  updateContact,
} from '@/lib/db/mutations';
import { contactByEmail, dealsOfContact, dueTasks, search, timelineOf } from '@/lib/db/queries';
import { AppError } from '@/lib/errors';

const source = { origin: 'manual' as const };

describe('mutations append to the outbox in the same transaction', () => {
  it('creates a contact with normalised emails and one outbox row', async () => {
    const c = await createContact({ emails: [' Ana@Acme.IO ', 'ana@acme.io'], name: 'Ana', source }, { now: 10 });
    expect(c.emails).toEqual(['ana@acme.io']);
    expect(await db.outbox.toArray()).toMatchObject([{ entity: 'contact', entityId: c.id, op: 'upsert', at: 10 }]);
    expect((await contactByEmail('ANA@acme.io'))?.id).toBe(c.id);
  });

  it('refuses a second contact with the same email and writes nothing', async () => {
    await createContact({ emails: ['ana@acme.io'], source });
    await expect(createContact({ emails: ['bo@x.io', 'ana@acme.io'], source })).rejects.toBeInstanceOf(AppError);
    expect(await db.contacts.count()).toBe(1);
    expect(await db.outbox.count()).toBe(1);
  });

  it('rejects invalid input before touching the store', async () => {
    await expect(createContact({ emails: ['not-an-email'], source })).rejects.toThrow();
    expect(await db.outbox.count()).toBe(0);
  });

  it('skips the outbox for writes that came from the CRM', async () => {
    const c = await createContact({ emails: ['r@remote.io'], source: { origin: 'sync' } }, { origin: 'remote' });
    await updateContact(c.id, { name: 'Remote' }, { origin: 'remote' });
    expect(await db.outbox.count()).toBe(0);
  });

  it('rolls back the record when the outbox write fails', async () => {
    const spy = vi.spyOn(db.outbox, 'add').mockImplementation(() => Promise.reject(new Error('disk full')) as never);
    try {
      await expect(createContact({ emails: ['x@y.io'], source })).rejects.toThrow('disk full');
    } finally {
      spy.mockRestore();
    }
    expect(await db.contacts.count()).toBe(0);
  });

  it('finds or creates a company by its unique domain', async () => {
    const a = await ensureCompany('Acme.io');
    const b = await ensureCompany('acme.io', 'Acme');
    expect(b.id).toBe(a.id);
    expect(await db.companies.count()).toBe(1);
  });
});

describe('activities and timelines', () => {
  it('is idempotent by external key and pages newest first', async () => {
    const c = await createContact({ emails: ['ana@acme.io'], source });
    const mk = (i: number) => ({ kind: 'email' as const, occurredAt: 1000 + i, contactIds: [c.id], externalKey: `gmail:t:${i}` });
    const first = await addActivities([mk(1), mk(2), mk(3)]);
    const again = await addActivities([mk(2), mk(3), mk(4)]);
    expect(first.added).toHaveLength(3);
    expect(again.added.map((a) => a.externalKey)).toEqual(['gmail:t:4']);
    expect(again.existing).toHaveLength(2);

    const p1 = await timelineOf(c.id, { limit: 2 });
    expect(p1.items.map((a) => a.externalKey)).toEqual(['gmail:t:4', 'gmail:t:3']);
    const p2 = await timelineOf(c.id, { limit: 2, before: p1.next });
    expect(p2.items.map((a) => a.externalKey)).toEqual(['gmail:t:2', 'gmail:t:1']);
    expect(p2.next).toBeUndefined();
  });

  it('pages correctly through activities that share a millisecond', async () => {
    const c = await createContact({ emails: ['ana@acme.io'], source });
    await addActivities(Array.from({ length: 5 }, (_, i) => ({ kind: 'note' as const, occurredAt: 5000, contactIds: [c.id], subject: `n${i}` })));
    const seen: string[] = [];
    let before;
    for (;;) {
      const page = await timelineOf(c.id, { limit: 2, before });
      seen.push(...page.items.map((a) => a.id));
      if (!page.next) break;
      before = page.next;
    }
    expect(new Set(seen).size).toBe(5);
  });
});

describe('deals through the stage gate', () => {
  it('asks for evidence and a next step, then records the move on the timeline', async () => {
    await ensureDefaults();
    const c = await createContact({ emails: ['ana@acme.io'], source });
    const d = await createDeal({ name: 'Acme pilot', pipelineId: 'default', stageId: 'lead', contactIds: [c.id] }, { now: 1_000 });
    await expect(moveDealStage(d.id, { toStageId: 'qualified' }, { now: 2_000 })).rejects.toMatchObject({ code: 'gate_failed' });

    const moved = await moveDealStage(
      d.id,
      { toStageId: 'qualified', evidence: { need: 'Manual logging costs 5h/week', budget: '20k approved', authority: 'VP Sales signs' }, nextStep: { text: 'Send proposal', dueAt: Date.now() + 86_400_000 } },
      { now: 3_000 },
    );
    expect(moved.stageId).toBe('qualified');
    expect(moved.stageHistory).toEqual([
      { stageId: 'lead', enteredAt: 1_000, leftAt: 3_000 },
      { stageId: 'qualified', enteredAt: 3_000 },
    ]);
    expect((await dealsOfContact(c.id))[0]?.evidence.budget?.text).toBe('20k approved');
    expect((await timelineOf(c.id)).items[0]).toMatchObject({ kind: 'stage_change', dealId: d.id });
    expect(await search('acme pil')).toEqual([expect.objectContaining({ kind: 'deal', id: d.id })]);
  });
});

describe('tasks', () => {
  it('snoozes, lists due work by effective time, and leaves a timeline entry when done', async () => {
    const c = await createContact({ emails: ['ana@acme.io'], source });
    const t = await createTask({ kind: 'follow_up', title: 'Follow up with Ana', dueAt: 1_000, contactId: c.id });
    expect((await dueTasks(1_500)).map((x) => x.id)).toEqual([t.id]);
    await snoozeTask(t.id, 5_000);
    expect(await dueTasks(1_500)).toEqual([]);
    await completeTask(t.id, { now: 6_000 });
    expect((await db.tasks.get(t.id))?.status).toBe('done');
    expect((await timelineOf(c.id)).items[0]).toMatchObject({ kind: 'task_done', subject: 'Follow up with Ana' });
  });
});
