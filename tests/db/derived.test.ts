import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { rebuildDerived } from '@/lib/db/derived';
import {
  addActivities,
  applyNudgeWrites,
  completeTask,
  createContact,
  createDeal,
  createTask,
  deleteActivity,
  deleteContact,
  ensureDefaults,
  moveDealStage,
  touchContacts,
  updateActivity,
  updateContact,
  type NewActivity,
} from '@/lib/db/mutations';
import { DEAL_FIELDS, applyDealImport, exportBackup, guessMapping, importContactsCsv, parseCsv, prepareDealImport, restoreBackup, CONTACT_FIELDS } from '@/lib/io';
import { getSettings } from '@/lib/db/queries';
import { writeRemoteId } from '@/lib/sync/store';
import { pullChanges } from '@/lib/sync/pull';
import type { Clock, CrmProvider, RemoteRecord } from '@/lib/sync/types';
import type { Contact } from '@/lib/model';

/*
 * Schema v4's derived facts (lib/db/derived.ts) against every writer: the nudge pass trusts
 * them instead of reading activities, so each writer must leave them exactly right.
 */

const T0 = Date.UTC(2026, 10, 16, 15);
const H = 3_600_000;
const ME = 'me@us.com';

const out = (contactIds: string[], to: string, occurredAt: number, extra: Partial<NewActivity> = {}): NewActivity => ({
  kind: 'email',
  direction: 'outbound',
  occurredAt,
  contactIds,
  subject: `Sent at ${occurredAt}`,
  sourceUrl: `https://mail.google.com/mail/u/0/#inbox/${occurredAt}`,
  participants: [
    { email: ME, role: 'from' },
    { email: to, role: 'to' },
  ],
  ...extra,
});
const reply = (contactIds: string[], from: string, occurredAt: number, extra: Partial<NewActivity> = {}): NewActivity => ({
  kind: 'email',
  direction: 'inbound',
  occurredAt,
  contactIds,
  participants: [
    { email: from, role: 'from' },
    { email: ME, role: 'to' },
  ],
  ...extra,
});

const ana = () => createContact({ emails: ['ana@acme.com'], name: 'Ana', source: { origin: 'manual' } });
const row = async (id: string) => (await db.contacts.get(id))!;

async function openDeal(contactIds: string[], now = T0 - 48 * H) {
  const p = (await db.pipelines.toArray())[0]!;
  return createDeal({ name: 'Acme pilot', pipelineId: p.id, stageId: p.stages[0]!.id, contactIds }, { now });
}

/** The live key mirror must equal the tasks' own live rule keys, always. */
async function expectRuleKeysMirrorTasks() {
  const fromTasks = (await db.tasks.toArray()).flatMap((t) => (t.ruleKey && !t.ruleKey.startsWith('retired:') ? [t.ruleKey] : [])).sort();
  expect((await db.ruleKeys.toCollection().primaryKeys()).sort()).toEqual(fromTasks);
}

/** One pulled page, merged as lib/sync/pull.ts does. */
const pull = (rec: RemoteRecord) =>
  pullChanges({ id: 'hubspot', pullKinds: [rec.kind], pull: async () => ({ records: [rec], next: null }) } as unknown as CrmProvider, { now: () => T0 + 5 * H } as unknown as Clock);

beforeEach(() => ensureDefaults());

describe('email facts on contacts', () => {
  it('logging an outbound email sets the pending fact; their reply clears it; a colleague on CC does not', async () => {
    const a = await ana();
    const bo = await createContact({ emails: ['bo@acme.com'], source: { origin: 'manual' } });
    const [sent] = (await addActivities([out([a.id, bo.id], 'ana@acme.com', T0)])).added;
    expect(await row(a.id)).toMatchObject({ lastOutbound: { id: sent!.id, occurredAt: T0, subject: `Sent at ${T0}`, sourceUrl: sent!.sourceUrl }, awaitingReplySince: T0 });
    expect((await row(bo.id)).awaitingReplySince).toBe(T0);
    expect(await db.contacts.where('awaitingReplySince').equals(T0).count()).toBe(2);

    // Bo answers on a thread that includes Ana: Ana has still not replied.
    await addActivities([reply([a.id, bo.id], 'bo@acme.com', T0 + H)]);
    expect((await row(a.id)).awaitingReplySince).toBe(T0);
    expect((await row(a.id)).lastReply).toBeUndefined();
    expect((await row(bo.id)).awaitingReplySince).toBeUndefined();

    const [r] = (await addActivities([reply([a.id], 'ana@acme.com', T0 + 2 * H)])).added;
    expect(await row(a.id)).toMatchObject({ lastReply: { id: r!.id, occurredAt: T0 + 2 * H } });
    expect((await row(a.id)).awaitingReplySince).toBeUndefined();
    expect(await db.contacts.where('awaitingReplySince').aboveOrEqual(0).count()).toBe(0);

    // Writing again re-opens the wait; an older email logged late changes nothing.
    await addActivities([out([a.id], 'ana@acme.com', T0 + 3 * H)]);
    await addActivities([out([a.id], 'ana@acme.com', T0 - 24 * H)]);
    expect(await row(a.id)).toMatchObject({ lastOutbound: { occurredAt: T0 + 3 * H }, awaitingReplySince: T0 + 3 * H });
  });

  it('same-millisecond outbound emails: the larger id wins, as in the rule', async () => {
    const a = await ana();
    const { added } = await addActivities([out([a.id], 'ana@acme.com', T0), out([a.id], 'ana@acme.com', T0, { subject: 'twin' })]);
    const winner = [...added].sort((x, y) => (x.id > y.id ? -1 : 1))[0]!;
    expect((await row(a.id)).lastOutbound?.id).toBe(winner.id);
  });

  it('deleting the latest outbound email or the reply recomputes from the timeline', async () => {
    const a = await ana();
    const { added } = await addActivities([out([a.id], 'ana@acme.com', T0), out([a.id], 'ana@acme.com', T0 + H), reply([a.id], 'ana@acme.com', T0 + 2 * H)]);
    const [first, second, answer] = added;
    expect((await row(a.id)).awaitingReplySince).toBeUndefined();
    await deleteActivity(answer!.id);
    expect(await row(a.id)).toMatchObject({ lastOutbound: { id: second!.id }, awaitingReplySince: T0 + H });
    expect((await row(a.id)).lastReply).toBeUndefined();
    await deleteActivity(second!.id);
    expect(await row(a.id)).toMatchObject({ lastOutbound: { id: first!.id }, awaitingReplySince: T0 });
    await deleteActivity(first!.id);
    expect((await row(a.id)).lastOutbound).toBeUndefined();
    expect((await row(a.id)).awaitingReplySince).toBeUndefined();
  });

  it('editing an activity moves the facts between contacts and keeps the subject current', async () => {
    const a = await ana();
    const bo = await createContact({ emails: ['bo@acme.com'], source: { origin: 'manual' } });
    const [sent] = (await addActivities([out([a.id], 'ana@acme.com', T0)])).added;
    await updateActivity(sent!.id, { subject: 'Pricing, revised' });
    expect((await row(a.id)).lastOutbound?.subject).toBe('Pricing, revised');
    await updateActivity(sent!.id, { contactIds: [bo.id] });
    expect((await row(a.id)).lastOutbound).toBeUndefined();
    expect((await row(bo.id)).lastOutbound?.id).toBe(sent!.id);
  });

  it('a new address on the contact makes an inbound email from it their reply (and removing it undoes that)', async () => {
    const a = await ana();
    await addActivities([out([a.id], 'ana@acme.com', T0), reply([a.id], 'ana.costa@gmail.com', T0 + H)]);
    expect((await row(a.id)).awaitingReplySince).toBe(T0);
    const updated = await updateContact(a.id, { emails: ['ana@acme.com', 'ana.costa@gmail.com'] });
    expect(updated.lastReply?.occurredAt).toBe(T0 + H);
    expect((await row(a.id)).awaitingReplySince).toBeUndefined();
    await updateContact(a.id, { emails: ['ana@acme.com'] });
    expect((await row(a.id)).awaitingReplySince).toBe(T0);
    // An ordinary edit keeps the facts it cannot change.
    await updateContact(a.id, { title: 'CTO' });
    expect((await row(a.id)).lastOutbound?.occurredAt).toBe(T0);
  });

  it('contact index fields follow the row on every write: lifecycle, touch, deletion', async () => {
    const a = await ana();
    expect((await row(a.id)).customerQuietSince).toBeUndefined();
    await updateContact(a.id, { lifecycleStage: 'customer' });
    expect((await row(a.id)).customerQuietSince).toBe(a.createdAt);
    await touchContacts([a.id], T0);
    expect((await row(a.id)).customerQuietSince).toBe(T0);
    // Even a raw Dexie write goes through the middleware.
    await db.contacts.update(a.id, { lastTouchedAt: T0 + H });
    expect((await row(a.id)).customerQuietSince).toBe(T0 + H);
    await addActivities([out([a.id], 'ana@acme.com', T0)]);
    await deleteContact(a.id);
    const gone = await row(a.id);
    expect([gone.customerQuietSince, gone.awaitingReplySince]).toEqual([undefined, undefined]);
  });
});

describe("a deal's last activity", () => {
  it('follows adds, a stage move, a completed task, an edit that moves it, and deletes', async () => {
    const a = await ana();
    const d = await openDeal([a.id]);
    const other = await openDeal([a.id]);
    expect((await db.deals.get(d.id))?.lastActivityAt).toBeUndefined();
    const [note] = (await addActivities([{ kind: 'note', occurredAt: T0, contactIds: [a.id], dealId: d.id }])).added;
    expect((await db.deals.get(d.id))?.lastActivityAt).toBe(T0);

    const p = (await db.pipelines.toArray())[0]!;
    const target = p.stages.find((s) => s.outcome === 'open' && s.id !== d.stageId)!;
    const evidence = Object.fromEntries(p.stages.flatMap((s) => s.requiredEvidence).map((k) => [k, 'Confirmed on the call']));
    await moveDealStage(d.id, { toStageId: target.id, evidence, nextStep: { text: 'Demo', dueAt: T0 + 96 * H } }, { now: T0 + H });
    expect((await db.deals.get(d.id))?.lastActivityAt).toBe(T0 + H);

    const t = await createTask({ kind: 'follow_up', title: 'Call', dueAt: T0, contactId: a.id, dealId: d.id });
    await completeTask(t.id, { now: T0 + 2 * H });
    expect((await db.deals.get(d.id))?.lastActivityAt).toBe(T0 + 2 * H);

    const [late] = (await addActivities([{ kind: 'call', occurredAt: T0 + 3 * H, contactIds: [a.id], dealId: d.id }])).added;
    await updateActivity(late!.id, { dealId: other.id });
    expect((await db.deals.get(d.id))?.lastActivityAt).toBe(T0 + 2 * H);
    expect((await db.deals.get(other.id))?.lastActivityAt).toBe(T0 + 3 * H);

    for (const a2 of await db.activities.where('dealId').equals(d.id).toArray()) if (a2.id !== note!.id) await deleteActivity(a2.id);
    expect((await db.deals.get(d.id))?.lastActivityAt).toBe(T0);
    await deleteActivity(note!.id);
    expect((await db.deals.get(d.id))?.lastActivityAt).toBeUndefined();
  });
});

describe('live rule keys', () => {
  it('a keyed task, created nudges and retired ones keep the ruleKeys table equal to the tasks', async () => {
    const a = await ana();
    await createTask({ kind: 'next_step', title: 'Demo', dueAt: T0, ruleKey: 'next-step:d1' });
    await createTask({ kind: 'follow_up', title: 'No key', dueAt: T0, contactId: a.id });
    await applyNudgeWrites({ create: [{ ruleKey: `no_reply:${a.id}:x`, kind: 'no_reply', title: 'Follow up', dueAt: T0, contactId: a.id }, { ruleKey: 're_engage:c2:1', kind: 're_engage', title: 'Hi', dueAt: T0 }], retire: [] });
    await expectRuleKeysMirrorTasks();
    expect(await db.ruleKeys.count()).toBe(3);
    await applyNudgeWrites({ create: [], retire: [`no_reply:${a.id}:x`] }, { now: T0 });
    await expectRuleKeysMirrorTasks();
    expect(await db.ruleKeys.get(`no_reply:${a.id}:x`)).toBeUndefined();
  });
});

describe('writers outside lib/db', () => {
  it('a remote deletion of an activity (CRM pull) recomputes the facts and the deal', async () => {
    const a = await ana();
    const d = await openDeal([a.id]);
    const { added } = await addActivities([out([a.id], 'ana@acme.com', T0, { dealId: d.id }), out([a.id], 'ana@acme.com', T0 + H, { dealId: d.id })]);
    await writeRemoteId('hubspot', 'activity', added[1]!.id, 'e-2');
    await db.outbox.clear(); // pushed: no local edit pending, so the CRM's change applies
    await pull({ kind: 'activity', remoteId: 'e-2', updatedAt: T0 + 5 * H, deleted: true, fields: {} });
    expect((await db.activities.get(added[1]!.id))?.deletedAt).toBeDefined();
    expect(await db.timeline.where('activityId').equals(added[1]!.id).count()).toBe(0);
    expect(await row(a.id)).toMatchObject({ lastOutbound: { id: added[0]!.id }, awaitingReplySince: T0 });
    expect((await db.deals.get(d.id))?.lastActivityAt).toBe(T0);
    // A remote pull (no outbox row) of the deletion.
    expect(await db.outbox.where('[entity+entityId]').equals(['activity', added[1]!.id]).filter((r) => r.op === 'delete').count()).toBe(0);
  });

  it('a remote contact update that adds an address recounts their reply', async () => {
    const a = await ana();
    await addActivities([out([a.id], 'ana@acme.com', T0), reply([a.id], 'ana@home.net', T0 + H)]);
    await writeRemoteId('hubspot', 'contact', a.id, 'c-1');
    await db.outbox.clear();
    await pull({ kind: 'contact', remoteId: 'c-1', updatedAt: T0 + 5 * H, fields: { emails: ['ana@home.net'] } });
    expect((await row(a.id)).emails).toEqual(['ana@acme.com', 'ana@home.net']);
    expect((await row(a.id)).awaitingReplySince).toBeUndefined();
  });

  it('a backup restore recounts every fact from the restored activities, whatever the file says', async () => {
    const a = await ana();
    const d = await openDeal([a.id]);
    await addActivities([out([a.id], 'ana@acme.com', T0, { dealId: d.id })]);
    await createTask({ kind: 'next_step', title: 'Demo', dueAt: T0, ruleKey: `next-step:${d.id}` });
    const b = await exportBackup();
    // A file edited by hand (or written by an older version) with wrong or missing facts.
    b.data.contacts = b.data.contacts.map((c) => ({ ...c, lastOutbound: undefined, lastReply: { id: 'bogus', occurredAt: T0 + 99 * H } }));
    b.data.deals = b.data.deals.map((x) => ({ ...x, lastActivityAt: 1 }));
    await restoreBackup(b);
    expect(await row(a.id)).toMatchObject({ lastOutbound: { occurredAt: T0 }, awaitingReplySince: T0 });
    expect((await row(a.id)).lastReply).toBeUndefined();
    expect((await db.deals.get(d.id))?.lastActivityAt).toBe(T0);
    await expectRuleKeysMirrorTasks();
    expect(await db.ruleKeys.count()).toBe(1);
  });

  it('CSV imports that update contacts and deals keep the facts logged since the preview', async () => {
    const a = await ana();
    const p = (await db.pipelines.toArray())[0]!;
    const d = await openDeal([a.id]);
    const dealCsv = parseCsv(`Deal name,Pipeline,Stage,Contact emails,Lead source\nAcme pilot,${p.name},${p.stages[0]!.name},ana@acme.com,Referral\n`);
    const dealPlan = await prepareDealImport(dealCsv, guessMapping(dealCsv.headers, DEAL_FIELDS), await getSettings());
    expect(dealPlan.updates).toBe(1);
    // Logged between the preview and the import: not an edit, so the preview check lets it through.
    await addActivities([out([a.id], 'ana@acme.com', T0, { dealId: d.id })]);
    await applyDealImport(dealPlan);
    expect(await db.deals.get(d.id)).toMatchObject({ leadSource: 'Referral', lastActivityAt: T0 });

    const text = 'E-mail,Job Title\nana@acme.com,CTO\n';
    await importContactsCsv(text, guessMapping(parseCsv(text).headers, CONTACT_FIELDS));
    expect(await row(a.id)).toMatchObject({ title: 'CTO', lastOutbound: { occurredAt: T0 }, awaitingReplySince: T0 });
  });
});

describe('incremental upkeep equals a rebuild', () => {
  it('after a seeded mix of adds, edits and deletes, rebuildDerived changes nothing', async () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const people: Contact[] = [];
    for (let i = 0; i < 6; i++) people.push(await createContact({ emails: [`p${i}@x.io`, `p${i}@home.io`], source: { origin: 'manual' } }));
    const deals = [await openDeal([people[0]!.id]), await openDeal([people[1]!.id])];
    const ids: string[] = [];
    for (let k = 0; k < 120; k++) {
      const who = people.filter(() => rand() < 0.3);
      const c = who[0] ?? people[k % people.length]!;
      const at = T0 + Math.floor(rand() * 40) * H;
      const dealId = rand() < 0.4 ? deals[Math.floor(rand() * 2)]!.id : undefined;
      const contactIds = who.length ? who.map((p) => p.id) : [c.id];
      const r = rand();
      const input: NewActivity =
        r < 0.4 ? out(contactIds, c.emails[0]!, at, { dealId }) : r < 0.75 ? reply(contactIds, c.emails[Math.floor(rand() * 2)]!, at, { dealId }) : { kind: 'note', occurredAt: at, contactIds, dealId };
      ids.push(...(await addActivities([input])).added.map((a) => a.id));
      if (rand() < 0.15) await deleteActivity(ids[Math.floor(rand() * ids.length)]!);
      if (rand() < 0.1) await updateActivity(ids[Math.floor(rand() * ids.length)]!, { contactIds: [people[Math.floor(rand() * people.length)]!.id], dealId: deals[0]!.id });
    }
    const facts = async () => ({
      contacts: (await db.contacts.toArray()).map((c) => [c.id, c.lastOutbound, c.lastReply, c.awaitingReplySince, c.customerQuietSince]),
      deals: (await db.deals.toArray()).map((d) => [d.id, d.lastActivityAt]),
      keys: await db.ruleKeys.toCollection().primaryKeys(),
    });
    const kept = await facts();
    expect(kept.contacts.some((c) => c[3] !== undefined)).toBe(true);
    expect(kept.contacts.some((c) => c[2] !== undefined)).toBe(true);
    await db.transaction('rw', [db.contacts, db.deals, db.activities, db.tasks, db.ruleKeys], () => rebuildDerived((name) => db.table(name)));
    expect(await facts()).toEqual(kept);
  });
});
