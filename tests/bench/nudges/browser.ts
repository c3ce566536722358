/**
 * Browser side of the nudge bench (bundled by tests/bench/suites/nudges.bench.mjs). Fills
 * Threadline's own IndexedDB database with a seeded CRM, then times the project's real nudge
 * passes (`lib/nudges`) against it: the full periodic pass and the incremental pass after one
 * capture. Rows are written raw, with relaxed durability, because filling is not what is
 * measured; the passes read and write through Dexie exactly as the extension does.
 */
import { capturePage } from '@/lib/capture';
import { db } from '@/lib/db';
import { foldEmail, withContactIndexes } from '@/lib/db/derived';
import { contactTerms, termsFor, type Searchable, type TimelineLink } from '@/lib/db/schema';
import { defaultPipeline } from '@/lib/domain/pipeline';
import { DEFAULT_SETTINGS, type Activity, type Contact, type Deal, type PageContext, type Settings } from '@/lib/model';
import { evaluateNudges, runForCapture, runFullPass } from '@/lib/nudges';
import { loadFull } from '@/lib/nudges/load';
import { mulberry32, pick, uuidFrom } from '../lib/seeded';

export interface FillSpec {
  contacts: number;
  activities: number;
  openDeals: number;
  closedDeals: number;
  /** Activities spread uniformly over this many days before `now`. */
  spanDays: number;
  chunk: number;
  seed: number;
  now: number;
}

const DAY = 86_400_000;
const ME = 'me@rep-bench.com';
const WORDS = 'pilot pricing renewal contract kickoff security review seats onboarding invoice budget quarter proposal demo legal procurement champion migration'.split(' ');

let idb: IDBDatabase | undefined;
async function rawDb(): Promise<IDBDatabase> {
  if (idb) return idb;
  await db.open();
  // A second connection to the same database: Dexie's schema, raw bulk writes.
  idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(db.name);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  return idb;
}
async function put(stores: Record<string, object[]>): Promise<void> {
  const conn = await rawDb();
  const tx = conn.transaction(Object.keys(stores), 'readwrite', { durability: 'relaxed' });
  for (const [name, rows] of Object.entries(stores)) {
    const s = tx.objectStore(name);
    for (const row of rows) s.put(row);
  }
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('aborted'));
  });
}

const state = { emails: [] as string[], spec: undefined as FillSpec | undefined };

/** Marks a finished fill (in the settings table, beside the app's own row), so a kept profile is reused. */
const FILL_MARK = 'benchFill';

function makeContacts(spec: FillSpec, rand: () => number): Contact[] {
  const contacts: Contact[] = [];
  for (let i = 0; i < spec.contacts; i++) {
    const email = `${pick(rand, ['ana', 'ben', 'chloe', 'dana', 'eli', 'gus', 'hana', 'ivan'])}.${i}@company${i % 5000}.com`;
    const createdAt = spec.now - (400 + Math.floor(rand() * 400)) * DAY;
    contacts.push({
      id: uuidFrom(rand),
      emails: [email],
      name: `Person ${i}`,
      // One in ten is a customer: the re-engage rule's population.
      lifecycleStage: i % 10 === 0 ? 'customer' : 'lead',
      status: 'active',
      source: { origin: 'import' },
      createdAt,
      updatedAt: createdAt,
      remoteIds: {},
    });
  }
  return contacts;
}

async function counts(spec: FillSpec): Promise<Record<string, number>> {
  return {
    contacts: await db.contacts.count(),
    activities: await db.activities.count(),
    timeline: await db.timeline.count(),
    openDeals: await db.deals.where('[status+stageId]').between(['open', ''], ['open', '\uffff']).count(),
    windowActivities: await db.activities.where('occurredAt').aboveOrEqual(spec.now - 30 * DAY).count(),
    awaitingInWindow: await db.contacts.where('awaitingReplySince').aboveOrEqual(spec.now - 30 * DAY).count(),
    silentCustomers: await db.contacts.where('customerQuietSince').belowOrEqual(spec.now - 90 * DAY).count(),
  };
}

/**
 * Fills the store, or reuses a kept profile (BENCH_KEEP_DIR) that this same spec filled: then
 * only the contacts are regenerated in memory (the incremental runs need their addresses).
 */
export async function fill(spec: FillSpec, progress: (m: string) => void = () => undefined): Promise<Record<string, number | boolean>> {
  state.spec = spec;
  await db.open();
  const mark = JSON.stringify(spec);
  const rand = mulberry32(spec.seed);
  if ((await db.table('settings').get(FILL_MARK))?.value === mark) {
    state.emails = makeContacts(spec, rand).map((c) => c.emails[0]!);
    return { ...(await counts(spec)), reused: true };
  }
  await db.transaction('rw', db.tables, () => Promise.all(db.tables.map((t) => t.clear())));
  const pipeline = defaultPipeline();
  const openStages = pipeline.stages.filter((s) => s.outcome === 'open');
  const settings: Settings = { ...DEFAULT_SETTINGS, selfEmails: [ME], reminders: { ...DEFAULT_SETTINGS.reminders, timeZone: 'UTC' } };
  await put({ pipelines: [pipeline], settings: [{ key: 'settings', value: settings }] });

  // Contacts first in memory: last-touched and the email facts follow their activities.
  const contacts = makeContacts(spec, rand);
  state.emails = contacts.map((c) => c.emails[0]!);

  // Deals on distinct contacts; the rest of the contacts have none.
  const dealOf = new Map<number, string>();
  const deals: Searchable<Deal>[] = [];
  for (let k = 0; k < spec.openDeals + spec.closedDeals; k++) {
    const ci = (k * 7) % spec.contacts;
    const open = k < spec.openDeals;
    const stage = open ? pick(rand, openStages) : pipeline.stages.find((s) => s.outcome === 'won')!;
    const entered = spec.now - Math.floor(rand() * 120 * DAY);
    const d: Deal = {
      id: uuidFrom(rand),
      name: `Deal ${k} ${pick(rand, WORDS)}`,
      pipelineId: pipeline.id,
      stageId: stage.id,
      contactIds: [contacts[ci]!.id],
      status: open ? 'open' : 'won',
      stageHistory: [{ stageId: stage.id, enteredAt: entered }],
      evidence: {},
      ...(rand() < 0.75 ? { nextStep: { text: `${pick(rand, WORDS)} call`, dueAt: spec.now + Math.floor((rand() * 50 - 20) * DAY) } } : {}),
      createdAt: entered - 10 * DAY,
      updatedAt: entered,
      remoteIds: {},
    };
    deals.push({ ...d, terms: termsFor(d.name) });
    dealOf.set(ci, d.id);
  }
  const dealIndex = new Map(deals.map((d) => [d.id, d]));

  let written = 0;
  for (let start = 0; start < spec.activities; start += spec.chunk) {
    const acts: Activity[] = [];
    const links: TimelineLink[] = [];
    for (let k = start; k < Math.min(spec.activities, start + spec.chunk); k++) {
      // Skewed: a few contacts are busy, most are quiet.
      const ci = Math.floor(rand() ** 2 * spec.contacts);
      const c = contacts[ci]!;
      const at = spec.now - Math.floor(rand() * spec.spanDays * DAY);
      const r = rand();
      const kind: Activity['kind'] = r < 0.85 ? 'email' : r < 0.95 ? 'meeting' : 'note';
      const out = rand() < 0.45;
      const deal = dealOf.get(ci);
      const a: Activity = {
        id: uuidFrom(rand),
        kind,
        occurredAt: at,
        ...(kind === 'email' ? { direction: out ? 'outbound' : 'inbound' } : {}),
        subject: `${pick(rand, WORDS)} ${pick(rand, WORDS)} #${k}`,
        snippet: Array.from({ length: 12 }, () => pick(rand, WORDS)).join(' '),
        participants: out ? [{ email: ME, role: 'from' }, { email: c.emails[0]!, role: 'to' }] : [{ email: c.emails[0]!, role: 'from' }, { email: ME, role: 'to' }],
        contactIds: [c.id],
        ...(deal && rand() < 0.6 ? { dealId: deal } : {}),
        externalKey: `gmail:t${k.toString(16)}:m${k.toString(16)}`,
        sourceUrl: `https://mail.google.com/mail/u/0/#inbox/t${k.toString(16)}`,
        site: 'gmail',
        createdAt: at,
        remoteIds: {},
      };
      if (at > (c.lastTouchedAt ?? 0)) c.lastTouchedAt = at;
      // The v4 facts, folded in by the project's own pure helper as addActivities does.
      const facts = foldEmail(c, a);
      if (facts) Object.assign(c, facts);
      const d = a.dealId ? dealIndex.get(a.dealId) : undefined;
      if (d && at > (d.lastActivityAt ?? -1)) d.lastActivityAt = at;
      acts.push(a);
      links.push({ activityId: a.id, contactId: c.id, occurredAt: at, kind });
    }
    await put({ activities: acts, timeline: links });
    written += acts.length;
    if ((start / spec.chunk) % 4 === 3) progress(`activities: ${written}`);
  }
  await put({ deals });
  progress(`deals: ${deals.length}`);
  // Raw writes bypass Dexie's middleware: the index fields are added here, by the same function.
  for (let start = 0; start < contacts.length; start += spec.chunk) {
    await put({ contacts: contacts.slice(start, start + spec.chunk).map((c) => withContactIndexes({ ...c, terms: contactTerms(c) })) });
  }
  await put({ settings: [{ key: FILL_MARK, value: mark }] });
  return { ...(await counts(spec)), reused: false };
}

/** One pass over the whole store (periodic, or complete), timed; returns what it wrote. */
export async function timeFullPass(now: number, complete = false): Promise<{ ms: number; written: Record<string, number> }> {
  const t = performance.now();
  const r = await runFullPass(now, { complete });
  return { ms: performance.now() - t, written: r.written };
}

/** The same pass in its two halves: store reads, then the pure rules. */
export async function timeFullPassParts(now: number, complete = false): Promise<{ loadMs: number; rulesMs: number; desired: number }> {
  let t = performance.now();
  const loaded = await loadFull(now, { complete, reEngageDays: 90 });
  const loadMs = performance.now() - t;
  t = performance.now();
  const desired = evaluateNudges(loaded.snapshot, { settings: (await db.settings.get('settings'))!.value, now, tz: 'UTC' });
  return { loadMs, rulesMs: performance.now() - t, desired: desired.length };
}

/**
 * Capture one new reply from a busy contact (not timed), then time the incremental pass that
 * runs right after a capture in the extension (`runForCapture`).
 */
export async function timeIncremental(now: number, run: number, salt = ''): Promise<{ ms: number; captureMs: number; written: Record<string, number> }> {
  const ci = (run * 37) % 200;
  const email = state.emails[ci]!;
  const ctx: PageContext = {
    site: 'gmail',
    view: 'thread',
    // Salted per bench run, so a kept profile still captures new messages.
    key: `bench-reply-${salt}${run}`,
    url: `https://mail.google.com/mail/u/0/#inbox/bench-reply-${salt}${run}`,
    subject: 'Re: pricing',
    people: [],
    messages: [
      { id: 'm1', from: { email: ME, role: 'from', self: true }, to: [{ email, role: 'to' }], date: now - 5 * DAY },
      { id: 'm2', from: { email, role: 'from' }, to: [{ email: ME, role: 'to', self: true }], date: now - 1000 },
    ],
  };
  let t = performance.now();
  await capturePage(ctx, { now });
  const captureMs = performance.now() - t;
  t = performance.now();
  const r = await runForCapture(ctx, now);
  const ms = performance.now() - t;
  return { ms, captureMs, written: r.written };
}

export async function nudgeCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await db.tasks.toArray()) {
    if (!t.ruleKey || t.deletedAt) continue;
    const k = t.ruleKey.split(':')[0]!;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Where a full pass's read time goes, read by read (for the method text and for tuning). */
export async function timeReads(now: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const time = async (name: string, f: () => Promise<unknown>) => {
    const t = performance.now();
    const r = await f();
    out[name] = Math.round((performance.now() - t) * 10) / 10;
    return r;
  };
  // What the v4 pass reads…
  await time('openDeals', () => db.deals.where('[status+stageId]').between(['open', ''], ['open', '\uffff']).toArray());
  await time('awaitingReply', () => db.contacts.where('awaitingReplySince').aboveOrEqual(now - 30 * DAY).toArray());
  await time('silentCustomers', () => db.contacts.where('customerQuietSince').belowOrEqual(now - 90 * DAY).toArray());
  await time('ruleKeys', () => db.ruleKeys.toCollection().primaryKeys());
  // …and what the v3 pass read instead.
  await time('v3Window', () => db.activities.where('occurredAt').aboveOrEqual(now - 30 * DAY).toArray());
  await time('v3RuleKeyCursor', () => db.tasks.where('ruleKey').aboveOrEqual('').keys());
  await time('v3AllContacts', () => db.contacts.toArray());
  return out;
}
