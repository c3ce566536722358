/**
 * Browser side of the storage bench (bundled by tests/bench/suites/storage.bench.mjs with
 * buildBundle). It fills Threadline's real Dexie database and a raw IndexedDB mirror with the
 * same rows and the same indexes, then times the project's own queries against hand-written
 * raw IndexedDB versions of the same lookups: the floor.
 */
import { db } from '@/lib/db';
import { contactByEmail, timelineOf } from '@/lib/db/queries';
import { contactTerms, type Searchable, type TimelineLink } from '@/lib/db/schema';
import type { Activity, Contact } from '@/lib/model';
import { mulberry32, pick, uuidFrom } from '../lib/seeded';

export interface FillSpec {
  contacts: number;
  activities: number;
  /** Every `heavyEvery`-th activity belongs to the heavy contact (500k / 50 = 10k). */
  heavyEvery: number;
  chunk: number;
  seed: number;
}

export interface FillResult {
  dexieMs: { contacts: number; activities: number };
  rawMs: { contacts: number; activities: number };
  counts: Record<string, [number, number]>;
  heavyId: string;
  heavyCount: number;
}

const RAW_DB = 'threadline-raw-floor';
/** In the mirror: which spec filled both databases, so a kept profile (BENCH_KEEP_DIR) skips the refill. */
const META = 'benchMeta';
const MIRRORED = ['contacts', 'activities', 'timeline'] as const;
const WORDS = 'pilot pricing renewal contract kickoff security review seats onboarding invoice budget quarter proposal demo timeline legal procurement champion migration support roadmap'.split(' ');

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

let raw: IDBDatabase | undefined;
let heavy: { id: string } | undefined;
const emails: string[] = [];

/** The raw mirror copies primary keys and indexes from Dexie's live schema, so the shapes cannot drift. */
async function openRawMirror(): Promise<IDBDatabase> {
  await request(indexedDB.deleteDatabase(RAW_DB));
  await db.open();
  const open = indexedDB.open(RAW_DB, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore(META);
    for (const name of MIRRORED) {
      const { primKey, indexes } = db.table(name).schema;
      const store = open.result.createObjectStore(name, { keyPath: primKey.keyPath ?? null, autoIncrement: Boolean(primKey.auto) });
      for (const idx of indexes) store.createIndex(idx.name, idx.keyPath!, { unique: Boolean(idx.unique), multiEntry: Boolean(idx.multi) });
    }
  };
  return request(open);
}

async function rawAdd(stores: Record<string, object[]>): Promise<void> {
  const tx = raw!.transaction(Object.keys(stores), 'readwrite', { durability: 'relaxed' });
  for (const [name, rows] of Object.entries(stores)) {
    const store = tx.objectStore(name);
    for (const row of rows) store.add(row);
  }
  await done(tx);
}

async function countBoth(name: string): Promise<[number, number]> {
  return [await db.table(name).count(), await request(raw!.transaction(name).objectStore(name).count())];
}

/** Dexie keeps the durability it hands to every IDB transaction here; the app leaves it at the default. */
type DurabilityOption = { _options: { chromeTransactionDurability?: IDBTransactionDurability } };

interface FillMeta {
  spec: string;
  result: FillResult;
}

/** A mirror left by an earlier fill with the same spec, or null. */
async function reusable(spec: FillSpec): Promise<FillResult | null> {
  const existing = await request(indexedDB.open(RAW_DB));
  if (!existing.objectStoreNames.contains(META)) {
    existing.close();
    return null;
  }
  const meta = (await request(existing.transaction(META).objectStore(META).get('fill'))) as FillMeta | undefined;
  raw = existing;
  if (meta?.spec !== JSON.stringify(spec)) return null;
  for (const name of MIRRORED) {
    const [dexie, mirror] = await countBoth(name);
    if (dexie !== mirror || dexie !== meta.result.counts[name]?.[0]) return null;
  }
  return meta.result;
}

/** Fills both databases, or reuses an identical earlier fill; then loads the address list both sides sample from. */
export async function fill(spec: FillSpec, progress: (msg: string) => void = () => undefined): Promise<FillResult & { reused: boolean }> {
  await db.open();
  const previous = await reusable(spec);
  raw?.close();
  raw = undefined;
  const result = previous ?? (await freshFill(spec, progress));
  if (previous) raw = await request(indexedDB.open(RAW_DB));
  heavy = { id: result.heavyId };
  // Sorted by address, so a reused fill samples exactly what a fresh one would.
  emails.length = 0;
  const contacts = (await request(raw!.transaction('contacts').objectStore('contacts').getAll())) as Contact[];
  emails.push(...contacts.flatMap((c) => c.emails).sort());
  return { ...result, reused: Boolean(previous) };
}

async function freshFill(spec: FillSpec, progress: (msg: string) => void): Promise<FillResult> {
  await Promise.all(MIRRORED.map((name) => db.table(name).clear()));
  raw = await openRawMirror();
  // The fill is setup, not a measurement: both sides skip the flush-to-disk wait, then Dexie goes back to its default.
  const options = (db as unknown as DurabilityOption)._options;
  const appDurability = options.chromeTransactionDurability;
  options.chromeTransactionDurability = 'relaxed';
  try {
    const result = await fillRows(spec, progress);
    const tx = raw.transaction(META, 'readwrite');
    tx.objectStore(META).put({ spec: JSON.stringify(spec), result } satisfies FillMeta, 'fill');
    await done(tx);
    return result;
  } finally {
    options.chromeTransactionDurability = appDurability;
  }
}

async function fillRows(spec: FillSpec, progress: (msg: string) => void): Promise<FillResult> {
  const rand = mulberry32(spec.seed);
  const t0 = Date.UTC(2023, 0, 1);
  const span = 3 * 365 * 86_400_000;
  const dexieMs = { contacts: 0, activities: 0 };
  const rawMs = { contacts: 0, activities: 0 };
  const contactIds: string[] = [];
  const addresses: string[] = [];

  for (let start = 0; start < spec.contacts; start += spec.chunk) {
    const rows: Searchable<Contact>[] = [];
    for (let i = start; i < Math.min(spec.contacts, start + spec.chunk); i++) {
      const first = pick(rand, ['ana', 'ben', 'chloe', 'dana', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'june']);
      const last = pick(rand, ['lima', 'ortiz', 'wu', 'whitfield', 'okafor', 'novak', 'raman', 'schmidt']);
      const email = `${first}.${last}.${i}@company${i % 5000}.com`;
      const at = t0 + Math.floor(rand() * span);
      const c: Contact = {
        id: uuidFrom(rand),
        emails: [email],
        name: `${first} ${last}`,
        lifecycleStage: 'lead',
        status: 'active',
        source: { origin: 'capture', site: 'gmail' },
        createdAt: at,
        updatedAt: at,
        lastTouchedAt: at,
        remoteIds: {},
      };
      rows.push({ ...c, terms: contactTerms(c) });
      contactIds.push(c.id);
      addresses.push(email);
    }
    let t = performance.now();
    await db.transaction('rw', db.contacts, () => db.contacts.bulkAdd(rows));
    dexieMs.contacts += performance.now() - t;
    t = performance.now();
    await rawAdd({ contacts: rows });
    rawMs.contacts += performance.now() - t;
  }
  const heavyId = contactIds[0]!;
  progress(`contacts: ${spec.contacts} (Dexie ${Math.round(dexieMs.contacts)} ms, raw ${Math.round(rawMs.contacts)} ms)`);

  let heavyCount = 0;
  for (let start = 0; start < spec.activities; start += spec.chunk) {
    const acts: Activity[] = [];
    const links: TimelineLink[] = [];
    for (let k = start; k < Math.min(spec.activities, start + spec.chunk); k++) {
      const isHeavy = k % spec.heavyEvery === 0;
      if (isHeavy) heavyCount++;
      const ci = isHeavy ? 0 : 1 + ((k * 7919) % (spec.contacts - 1));
      const contactId = contactIds[ci]!;
      const at = t0 + Math.floor(rand() * span);
      const words = Array.from({ length: 14 }, () => pick(rand, WORDS)).join(' ');
      const a: Activity = {
        id: uuidFrom(rand),
        kind: 'email',
        occurredAt: at,
        direction: rand() < 0.5 ? 'inbound' : 'outbound',
        subject: `Re: ${pick(rand, WORDS)} ${pick(rand, WORDS)} #${k}`,
        snippet: words,
        participants: [{ email: addresses[ci]!, role: 'from' }],
        contactIds: [contactId],
        externalKey: `gmail:${k.toString(16)}:${(k * 31).toString(16)}`,
        sourceUrl: `https://mail.google.com/mail/u/0/#inbox/${k.toString(16)}`,
        site: 'gmail',
        createdAt: at,
        remoteIds: {},
      };
      acts.push(a);
      links.push({ activityId: a.id, contactId, occurredAt: at, kind: a.kind });
    }
    let t = performance.now();
    await db.transaction('rw', db.activities, db.timeline, async () => {
      await db.activities.bulkAdd(acts);
      await db.timeline.bulkAdd(links);
    });
    dexieMs.activities += performance.now() - t;
    t = performance.now();
    await rawAdd({ activities: acts, timeline: links });
    rawMs.activities += performance.now() - t;
    if ((start / spec.chunk) % 5 === 4) progress(`activities: ${start + acts.length} of ${spec.activities}`);
  }

  const counts: Record<string, [number, number]> = {};
  for (const name of MIRRORED) counts[name] = await countBoth(name);
  return { dexieMs, rawMs, counts, heavyId, heavyCount };
}

/** The same lookup written against raw IndexedDB: one index get, the same deleted check and field strip. */
async function rawContactByEmail(email: string): Promise<Contact | undefined> {
  const store = raw!.transaction('contacts', 'readonly').objectStore('contacts');
  const c = (await request(store.index('emails').get(email.trim().toLowerCase()))) as Searchable<Contact> | undefined;
  if (!c || c.deletedAt) return undefined;
  const { terms: _t, ...rest } = c;
  return rest;
}

interface ReverseCapable {
  getAllRecords?(o: { query: IDBKeyRange; count: number; direction: IDBCursorDirection }): IDBRequest<{ value: TimelineLink }[]>;
}

export type RawTimelineMethod = 'cursor' | 'records';

/** Chromium 141+ ships IDBIndex.getAllRecords, a bounded read that can run in reverse. */
export const hasGetAllRecords = (): boolean => typeof (IDBIndex.prototype as ReverseCapable).getAllRecords === 'function';

/**
 * Newest `limit` activities of a contact, hand-written: a bounded reverse read on
 * [contactId+occurredAt] (a reverse cursor, or getAllRecords where the browser has it),
 * then one get per activity in the same transaction.
 */
async function rawTimeline(contactId: string, limit: number, method: RawTimelineMethod): Promise<Activity[]> {
  const tx = raw!.transaction(['timeline', 'activities'], 'readonly');
  const idx = tx.objectStore('timeline').index('[contactId+occurredAt]') as IDBIndex & ReverseCapable;
  const range = IDBKeyRange.bound([contactId, -Infinity], [contactId, Infinity]);
  let links: TimelineLink[];
  if (method === 'records' && idx.getAllRecords) {
    links = (await request(idx.getAllRecords({ query: range, count: limit + 1, direction: 'prev' }))).map((r) => r.value);
  } else {
    links = await new Promise<TimelineLink[]>((resolve, reject) => {
      const out: TimelineLink[] = [];
      const cur = idx.openCursor(range, 'prev');
      cur.onerror = () => reject(cur.error);
      cur.onsuccess = () => {
        const c = cur.result;
        if (!c || out.length > limit) return resolve(out);
        out.push(c.value as TimelineLink);
        c.continue();
      };
    });
  }
  return getMany(tx.objectStore('activities'), links.slice(0, limit).map((l) => l.activityId));
}

/** All gets issued at once with one shared handler: the cheapest way to read rows by key. */
function getMany(store: IDBObjectStore, keys: string[]): Promise<Activity[]> {
  return new Promise((resolve, reject) => {
    const rows = new Array<Activity | undefined>(keys.length);
    let left = keys.length;
    if (!left) return resolve([]);
    keys.forEach((key, i) => {
      const r = store.get(key) as IDBRequest<Activity | undefined>;
      r.onsuccess = () => {
        rows[i] = r.result;
        if (--left === 0) resolve(rows.filter((a): a is Activity => Boolean(a && !a.deletedAt)));
      };
      r.onerror = () => reject(r.error);
    });
  });
}

/** A fixed sample of stored addresses (mixed case and padding, as a page would pass them). */
export function sampleEmails(n: number, seed: number): string[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const e = emails[Math.floor(rand() * emails.length)]!;
    return rand() < 0.5 ? e : ` ${e.toUpperCase()} `;
  });
}

/** Total in-page milliseconds for the lookups, run one after another as the panel would. */
export async function timeLookups(impl: 'dexie' | 'raw', sample: string[]): Promise<number> {
  const f = impl === 'dexie' ? contactByEmail : rawContactByEmail;
  const t = performance.now();
  for (const e of sample) if (!(await f(e))) throw new Error(`${impl}: no contact for ${e}`);
  return performance.now() - t;
}

/** 'dexie-tx' runs the same query inside one read transaction, to show what its two separate reads cost. */
export type TimelineImpl = 'dexie' | 'dexie-tx' | RawTimelineMethod;

async function readTimeline(impl: TimelineImpl, id: string): Promise<number> {
  if (impl === 'dexie') return (await timelineOf(id, { limit: 50 })).items.length;
  if (impl === 'dexie-tx') return (await db.transaction('r', db.timeline, db.activities, () => timelineOf(id, { limit: 50 }))).items.length;
  return (await rawTimeline(id, 50, impl)).length;
}

export async function timeTimelines(impl: TimelineImpl, reps: number): Promise<number> {
  const id = heavy!.id;
  const t = performance.now();
  for (let i = 0; i < reps; i++) {
    const n = await readTimeline(impl, id);
    if (n !== 50) throw new Error(`${impl}: timeline returned ${n} rows`);
  }
  return performance.now() - t;
}

/**
 * Both sides over the same addresses, interleaved in blocks with alternating order, so background
 * load on the machine falls on both alike. Returns total milliseconds per side.
 */
export async function timeLookupsInterleaved(sample: string[], block = 20): Promise<Record<'dexie' | 'raw', number>> {
  const totals = { dexie: 0, raw: 0 };
  for (let i = 0; i < sample.length; i += block) {
    const part = sample.slice(i, i + block);
    const order = (i / block) % 2 ? (['raw', 'dexie'] as const) : (['dexie', 'raw'] as const);
    for (const impl of order) {
      const f = impl === 'dexie' ? contactByEmail : rawContactByEmail;
      const t = performance.now();
      for (const e of part) if (!(await f(e))) throw new Error(`${impl}: no contact for ${e}`);
      totals[impl] += performance.now() - t;
    }
  }
  return totals;
}

/** Each repetition reads the timeline once per implementation, rotating who goes first. */
export async function timeTimelinesInterleaved(impls: TimelineImpl[], reps: number): Promise<Record<string, number>> {
  const totals: Record<string, number> = Object.fromEntries(impls.map((i) => [i, 0]));
  for (let r = 0; r < reps; r++) {
    const order = [...impls.slice(r % impls.length), ...impls.slice(0, r % impls.length)];
    for (const impl of order) {
      const t = performance.now();
      const n = await readTimeline(impl, heavy!.id);
      totals[impl]! += performance.now() - t;
      if (n !== 50) throw new Error(`${impl}: timeline returned ${n} rows`);
    }
  }
  return totals;
}

/** Both sides must return the same rows, or the comparison means nothing. */
export async function verify(sample: string[]): Promise<void> {
  for (const e of sample.slice(0, 50)) {
    const [a, b] = [await contactByEmail(e), await rawContactByEmail(e)];
    if (!a || a.id !== b?.id || JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`contact lookups disagree for ${e}`);
  }
  const dexie = (await timelineOf(heavy!.id, { limit: 50 })).items.map((a) => a.id);
  for (const method of ['cursor', 'records'] as const) {
    const floor = (await rawTimeline(heavy!.id, 50, method)).map((a) => a.id);
    if (dexie.join() !== floor.join()) throw new Error(`timeline queries disagree (raw ${method})`);
  }
  const acts = await db.activities.bulkGet(dexie);
  for (let i = 1; i < acts.length; i++) if (acts[i]!.occurredAt > acts[i - 1]!.occurredAt) throw new Error('timeline is not newest-first');
}
