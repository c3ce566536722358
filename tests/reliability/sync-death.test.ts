// @vitest-environment node
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { runSync } from '@/lib/sync/engine';
import { ID_PROPERTY } from '@/lib/sync/providers/hubspot/map';
import { startHubSpotFake } from '../fakes/hubspot/server';
import { FAST, fastClock, hsLimits, providerFor, seedLocal } from '../sync/helpers';
import { killAt, restartWorkerDb, type Injection } from './faults';

/**
 * The service worker stopped in the middle of a sync, at every IndexedDB step and every request
 * in turn, then a new worker syncing again. Complements tests/sync/fault-injection.test.ts, which
 * aborts runs between steps under CRM faults; here the stop lands inside IndexedDB transactions
 * too (marking items in flight, recording remote ids), including just after the CRM applied a write
 * whose answer was never recorded.
 */

let kill: Injection | undefined;
beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  kill?.restore();
  kill = undefined;
});

async function restartDb(): Promise<void> {
  const fault = kill;
  kill = undefined;
  await restartWorkerDb(fault);
}

it('at every step of a push: the restarted sync sends every record, none twice', { timeout: 240_000 }, async () => {
  const totals = { killPoints: 0, mostRequestsBeforeKill: 0, lost: 0, duplicated: 0, outboxLeft: 0 };
  for (let k = 1; ; k++) {
    await Promise.all(db.tables.map((t) => t.clear()));
    const fake = await startHubSpotFake({ ...hsLimits(), seed: k });
    try {
      await seedLocal({ contacts: 3, activitiesPer: 2, tasks: 2 });
      const clock = fastClock(FAST);
      const net = { fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init) };
      const provider = providerFor('hubspot', fake.url, 'pat-test', clock, { fetch: (i, init) => net.fetch(i, init) });
      // A short lease: the dead worker never releases its lease, the new one waits it out.
      const run = () => runSync({ provider, clock, pull: false, lockTtlMs: 5_000 });

      kill = killAt(k, { net });
      await run().catch(() => undefined);
      const fired = kill.fired;
      const requests = fake.requests;
      await restartDb();

      // The new worker: sync runs until the outbox is empty (its alarm would keep trying).
      for (let i = 0; i < 40 && ((await db.outbox.count()) > 0 || i === 0); i++) {
        const r = await run();
        if (!r.ran) await new Promise((res) => setTimeout(res, 10));
      }

      const count = (xs: { properties: Record<string, string | null> }[], key: string) => {
        const m = new Map<string, number>();
        for (const x of xs) m.set(x.properties[key] ?? '', (m.get(x.properties[key] ?? '') ?? 0) + 1);
        return m;
      };
      const remote = (t: string) => [...fake.objects[t]!.values()];
      const engagements = remote('emails');
      let duplicated = 0;
      let lost = 0;
      for (const [, n] of count(remote('contacts'), 'email')) duplicated += n - 1;
      for (const t of [engagements, remote('tasks'), remote('companies')]) for (const [, n] of count(t, ID_PROPERTY)) duplicated += n - 1;
      for (const c of await db.contacts.toArray()) if (!remote('contacts').some((r) => r.properties.email === c.emails[0] && r.id === c.remoteIds.hubspot)) lost++;
      for (const a of await db.activities.toArray()) if (!engagements.some((r) => r.properties[ID_PROPERTY] === a.id)) lost++;
      for (const t of await db.tasks.toArray()) if (!remote('tasks').some((r) => r.properties[ID_PROPERTY] === t.id)) lost++;
      for (const c of await db.companies.toArray()) if (!remote('companies').some((r) => r.properties[ID_PROPERTY] === c.id)) lost++;
      const outboxLeft = await db.outbox.count();
      expect({ k, lost, duplicated, outboxLeft }).toEqual({ k, lost: 0, duplicated: 0, outboxLeft: 0 });
      expect(remote('contacts')).toHaveLength(3);
      expect(engagements).toHaveLength(6);
      if (!fired) break;
      totals.killPoints++;
      totals.mostRequestsBeforeKill = Math.max(totals.mostRequestsBeforeKill, requests);
      totals.lost += lost;
      totals.duplicated += duplicated;
      totals.outboxLeft += outboxLeft;
    } finally {
      await fake.close();
    }
  }
  console.log(`[reliability] worker killed during sync: ${JSON.stringify(totals)}`);
  expect(totals.killPoints).toBeGreaterThan(20);
  expect(totals.lost).toBe(0);
  expect(totals.duplicated).toBe(0);
});
