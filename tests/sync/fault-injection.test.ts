// @vitest-environment node
import { expect, it } from 'vitest';
import { db } from '@/lib/db';
import { addActivities, completeTask, createContact, createTask, deleteActivity, deleteContact, ensureCompany, updateContact } from '@/lib/db/mutations';
import { runSync } from '@/lib/sync/engine';
import { ID_PROPERTY } from '@/lib/sync/providers/hubspot/map';
import { mulberry32 } from '../fakes/common';
import { startHubSpotFake } from '../fakes/hubspot/server';
import { FAST, fastClock, hsLimits, providerFor } from './helpers';

/**
 * 2,000 local changes while the fake HubSpot answers 20% of requests with 500s (half of them
 * after applying the write), hangs some until the client times out, drops connections and
 * sends 429 bursts; meanwhile each sync run is aborted at a random moment and started again.
 * At the end the CRM must hold every live local record exactly once.
 */
it('loses nothing and duplicates nothing under faults and random kills', { timeout: 240_000 }, async () => {
  const SEED = Number(process.env.FAULT_SEED ?? 20261122);
  const rnd = mulberry32(SEED);
  const fake = await startHubSpotFake({
    ...hsLimits(),
    seed: SEED,
    faults: { error500Rate: 0.2, timeoutRate: 0.03, dropRate: 0.03, burst429Rate: 0.03, burst429Length: 3 },
  });
  const clock = fastClock(FAST, rnd);
  // Timeouts at 60 s of sync time = 300 ms real: longer than any honest loopback answer.
  // The kill switch: after a random number of requests the run is aborted, either just before a
  // request leaves or just after its answer arrived (the worst moment: the CRM did the work).
  const kill = { left: Infinity, ctl: new AbortController() };
  const killingFetch: typeof fetch = async (input, init) => {
    if (--kill.left === 0 && rnd() < 0.5) kill.ctl.abort(new Error('killed before send'));
    const res = await fetch(input, init);
    if (kill.left === 0) kill.ctl.abort(new Error('killed after answer'));
    return res;
  };
  const provider = providerFor('hubspot', fake.url, 'pat-test', clock, { timeoutMs: 60_000, maxAttempts: 6, fetch: killingFetch });

  const contacts: string[] = [];
  const activities: string[] = [];
  const tasks: string[] = [];
  let changes = 0;
  const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  async function change(): Promise<void> {
    const r = rnd();
    if (contacts.length < 20 || r < 0.18) {
      const n = contacts.length;
      const company = await ensureCompany(`co${n % 25}.test`, `Company ${n % 25}`);
      const c = await createContact({ emails: [`p${n}@co${n % 25}.test`], name: `Person ${n}`, companyId: company.id, source: { origin: 'manual' } });
      contacts.push(c.id);
    } else if (r < 0.6) {
      const who = [pick(contacts), ...(rnd() < 0.3 ? [pick(contacts)] : [])];
      const kind = pick(['email', 'note', 'meeting'] as const);
      const { added } = await addActivities([{ kind, occurredAt: 1_750_000_000_000 + changes, contactIds: [...new Set(who)], subject: `${kind} ${changes}`, snippet: 'hello' }]);
      activities.push(added[0]!.id);
    } else if (r < 0.72) {
      tasks.push((await createTask({ kind: 'follow_up', title: `Task ${changes}`, dueAt: 1_800_000_000_000 + changes, contactId: pick(contacts) })).id);
    } else if (r < 0.9) {
      const id = pick(contacts);
      const c = await db.contacts.get(id);
      if (c?.deletedAt) return change();
      await updateContact(id, { name: `Person ${changes}`, title: `Title ${changes}` });
    } else if (r < 0.95) {
      const id = pick(tasks.length ? tasks : contacts);
      if (tasks.includes(id)) await completeTask(id);
      else await updateContact(id, { title: `T${changes}` });
    } else if (r < 0.98 && activities.length) {
      await deleteActivity(pick(activities));
    } else {
      const id = pick(contacts);
      if ((await db.contacts.get(id))?.deletedAt) return change();
      await deleteContact(id);
    }
    changes++;
  }

  let runs = 0;
  let aborted = 0;
  let clean = 0;
  const started = Date.now();
  while (changes < 2000 || clean < 1) {
    for (let i = 0; i < 40 && changes < 2000; i++) await change();
    const ctl = new AbortController();
    // Kill while changes are still coming in (and now and then afterwards): at the Nth request,
    // or, one run in four, on a timer that can land on any await, IndexedDB ones included.
    const killing = changes < 2000 || rnd() < 0.5;
    kill.ctl = ctl;
    kill.left = killing ? 1 + Math.floor(rnd() * 12) : Infinity;
    const t = killing && rnd() < 0.25 ? setTimeout(() => ctl.abort(new Error('killed')), rnd() * 60) : undefined;
    runs++;
    try {
      const r = await runSync({ provider, clock, signal: ctl.signal, pull: false });
      if (changes >= 2000 && r.ran && !r.error && (await db.outbox.count()) === 0) clean++;
    } catch (e) {
      if (!ctl.signal.aborted) throw e;
      aborted++;
    } finally {
      clearTimeout(t);
    }
    if (runs > 400) throw new Error(`did not converge: outbox ${await db.outbox.count()} ${JSON.stringify((await db.syncState.where('key').startsWith('fail:').toArray()).slice(0, 3))}`);
  }

  // Compare remote with local.
  const live = <T extends { deletedAt?: number }>(xs: T[]) => xs.filter((x) => !x.deletedAt);
  const localContacts = await db.contacts.toArray();
  const localActs = await db.activities.toArray();
  const localTasks = await db.tasks.toArray();
  const localCompanies = await db.companies.toArray();
  const remote = (t: string) => [...fake.objects[t]!.values()];
  const remoteLive = (t: string) => remote(t).filter((r) => !r.archived);

  let duplicates = 0;
  let lost = 0;
  let mismatched = 0;
  const countBy = (xs: { properties: Record<string, string | null> }[], key: string) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x.properties[key] ?? '', (m.get(x.properties[key] ?? '') ?? 0) + 1);
    return m;
  };
  const contactsByEmail = countBy(remote('contacts'), 'email');
  for (const [, n] of contactsByEmail) if (n > 1) duplicates += n - 1;
  for (const c of live(localContacts)) {
    const r = remoteLive('contacts').find((x) => x.properties.email === c.emails[0]);
    if (!r) lost++;
    else if (r.id !== c.remoteIds.hubspot || `${r.properties.firstname} ${r.properties.lastname}` !== c.name || (r.properties.jobtitle ?? undefined) !== c.title) mismatched++;
  }
  const engagements = [...remote('emails'), ...remote('notes'), ...remote('meetings')];
  for (const [, n] of countBy(engagements, ID_PROPERTY)) if (n > 1) duplicates += n - 1;
  for (const [, n] of countBy(remote('tasks'), ID_PROPERTY)) if (n > 1) duplicates += n - 1;
  for (const [, n] of countBy(remote('companies'), ID_PROPERTY)) if (n > 1) duplicates += n - 1;
  const liveEng = new Map(engagements.filter((r) => !r.archived).map((r) => [r.properties[ID_PROPERTY], r]));
  let missingLinks = 0;
  for (const a of live(localActs)) {
    const r = liveEng.get(a.id);
    if (!r) {
      lost++;
      continue;
    }
    for (const cid of a.contactIds) {
      const c = localContacts.find((x) => x.id === cid)!;
      if (!c.deletedAt && !fake.associations.has(`${a.kind === 'email' ? 'emails' : a.kind === 'meeting' ? 'meetings' : 'notes'}:${r.id}->contacts:${c.remoteIds.hubspot}`)) missingLinks++;
    }
  }
  const zombieActs = localActs.filter((a) => a.deletedAt && liveEng.has(a.id)).length;
  const liveTasks = new Map(remoteLive('tasks').map((r) => [r.properties[ID_PROPERTY], r]));
  for (const t of live(localTasks)) {
    const r = liveTasks.get(t.id);
    if (!r) lost++;
    else if ((r.properties.hs_task_status === 'COMPLETED') !== (t.status === 'done')) mismatched++;
  }
  for (const c of live(localCompanies)) if (!remoteLive('companies').some((r) => r.properties[ID_PROPERTY] === c.id)) lost++;
  const zombieContacts = localContacts.filter((c) => c.deletedAt && remoteLive('contacts').some((r) => r.properties.email === c.emails[0])).length;

  const figures = {
    seed: SEED,
    localChanges: changes,
    syncRuns: runs,
    abortedRuns: aborted,
    requests: fake.requests,
    injected: fake.injected,
    local: { contacts: live(localContacts).length, companies: live(localCompanies).length, activities: live(localActs).length, tasks: live(localTasks).length, deleted: localContacts.filter((c) => c.deletedAt).length + localActs.filter((a) => a.deletedAt).length },
    remote: { contacts: remoteLive('contacts').length, companies: remoteLive('companies').length, engagements: liveEng.size, tasks: liveTasks.size, archived: remote('contacts').filter((r) => r.archived).length + engagements.filter((r) => r.archived).length },
    duplicates,
    lost,
    mismatched,
    missingLinks,
    deletedButLiveRemotely: zombieActs + zombieContacts,
    outboxLeft: await db.outbox.count(),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  console.log(`[fault-injection] ${JSON.stringify(figures)}`);
  await fake.close();

  expect(changes).toBe(2000);
  expect(aborted).toBeGreaterThan(5);
  // About a fifth of the requests that reached the handler met a 500.
  expect(fake.injected.e500).toBeGreaterThan(0.1 * fake.requests);
  expect(duplicates).toBe(0);
  expect(lost).toBe(0);
  expect(mismatched).toBe(0);
  expect(missingLinks).toBe(0);
  expect(figures.deletedButLiveRemotely).toBe(0);
  expect(figures.outboxLeft).toBe(0);
  expect(figures.remote.contacts).toBe(figures.local.contacts);
  expect(figures.remote.engagements).toBe(figures.local.activities);
  expect(figures.remote.tasks).toBe(figures.local.tasks);
});
