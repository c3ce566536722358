import { db } from '@/lib/db';
import { addActivities, createContact, ensureCompany } from '@/lib/db/mutations';
import { realClock } from '@/lib/sync/clock';
import { runSync } from '@/lib/sync/engine';
import { PROVIDERS } from '@/lib/sync/registry';

export interface FakeStats {
  requests: number;
  byRoute: Record<string, number>;
  r429: number;
  emails: number;
}

export interface PushBenchResult {
  activities: number;
  requests: number;
  byRoute: Record<string, number>;
  wallMs: number;
  floorMs: number;
  rateLimited: number;
  remoteEngagements: number;
}

/**
 * Pushes `activities` logged emails (over `contacts` people, synced beforehand) to a fake
 * HubSpot at `url` that enforces `tokens` requests per rolling `windowMs`, with the real clock.
 * Runs wherever IndexedDB exists: a Chromium page (the benchmark) or Node with fake-indexeddb.
 */
export async function pushActivities(o: { url: string; stats: () => Promise<FakeStats>; activities: number; contacts: number; tokens: number; windowMs: number; log: (m: string) => void }): Promise<PushBenchResult> {
  if (!db.isOpen()) await db.open();
  await Promise.all(db.tables.map((t) => t.clear()));
  const company = await ensureCompany('bench.test', 'Bench');
  const ids: string[] = [];
  for (let i = 0; i < o.contacts; i++) ids.push((await createContact({ emails: [`p${i}@bench.test`], name: `P ${i}`, companyId: company.id, source: { origin: 'manual' } })).id);
  const conn = { providerId: 'hubspot' as const, kind: 'token' as const, secret: 'pat-test', baseUrl: o.url };
  const limits = { general: { tokens: o.tokens, windowMs: o.windowMs } };
  // The people first, so the measured run is the activities alone.
  const warm = await runSync({ provider: PROVIDERS.hubspot.create(conn, { clock: realClock, limits }), pull: false });
  if (warm.error) throw new Error(warm.error);
  const per = Math.ceil(o.activities / o.contacts);
  for (let k = 0; k < o.contacts; k++) {
    await addActivities(Array.from({ length: Math.min(per, o.activities - k * per) }, (_, j) => ({ kind: 'email' as const, occurredAt: 1_750_000_000_000 + k * per + j, direction: 'outbound' as const, contactIds: [ids[k]!], subject: `Proposal ${k}-${j}`, snippet: 'Following up on our call.' })));
  }
  // The page is not the fake's origin, so Chromium preflights each new URL (an extension with
  // host permissions does not). Warm the preflight cache for the two URLs the run uses, with the
  // engine's own headers, so the measured run carries no preflight round trips.
  for (const path of ['/crm/v3/objects/emails/batch/upsert', '/crm/v4/associations/emails/contacts/batch/associate/default']) {
    const res = await fetch(`${o.url}${path}`, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${conn.secret}` }, body: JSON.stringify({ inputs: [] }) });
    if (!res.ok) throw new Error(`warm-up ${path}: ${res.status}`);
  }
  o.log(`filled ${await db.activities.count()} activities; waiting one window so the measured run starts clean`);
  await new Promise((r) => setTimeout(r, o.windowMs * 1.05));
  const before = await o.stats();
  // Where the time goes: when each request left and when its answer arrived. The second window
  // opens one window after each first-window answer, so the first window's last answer and the
  // last request's round trip are what the wall time adds to the floor.
  const trace: { call: number; answer: number }[] = [];
  const tracedFetch: typeof fetch = async (input, init) => {
    const call = performance.now();
    const res = await fetch(input, init);
    trace.push({ call, answer: performance.now() });
    return res;
  };
  const provider = PROVIDERS.hubspot.create(conn, { clock: realClock, limits, fetch: tracedFetch });
  const t0 = performance.now();
  const r = await runSync({ provider, pull: false });
  const wallMs = performance.now() - t0;
  {
    const at = (t: number) => `+${(t - t0).toFixed(0)} ms`;
    const byCall = [...trace].sort((a, b) => a.call - b.call);
    const windows = [byCall.slice(0, o.tokens), byCall.slice(o.tokens)].filter((w) => w.length);
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const parts = windows.map(
      (w, k) =>
        `window ${k + 1}: ${w.length} requests leave ${at(w[0]!.call)}…${at(Math.max(...w.map((x) => x.call)))}, last answer ${at(Math.max(...w.map((x) => x.answer)))}, median round trip ${med(w.map((x) => x.answer - x.call)).toFixed(0)} ms`,
    );
    o.log(`${parts.join('; ')}; run ends ${at(t0 + wallMs)}`);
  }
  if (r.error || r.push?.ok !== o.activities) throw new Error(`push incomplete: ${JSON.stringify(r)}`);
  const after = await o.stats();
  const requests = after.requests - before.requests;
  const byRoute: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.byRoute)) if (v - (before.byRoute[k] ?? 0) > 0) byRoute[k] = v - (before.byRoute[k] ?? 0);
  return {
    activities: o.activities,
    requests,
    byRoute,
    wallMs,
    // The earliest the last of N requests may leave under N_max per rolling window.
    floorMs: Math.floor((requests - 1) / o.tokens) * o.windowMs,
    rateLimited: after.r429 - before.r429,
    remoteEngagements: after.emails - before.emails,
  };
}
