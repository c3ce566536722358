import { openBench, serveBench } from '../lib/bench-page.mjs';

// BENCH_CONTACTS / BENCH_ACTIVITIES shrink the store for a quick check; the title then says so.
const SPEC = {
  contacts: Number(process.env.BENCH_CONTACTS ?? 50_000),
  activities: Number(process.env.BENCH_ACTIVITIES ?? 500_000),
  heavyEvery: 50,
  chunk: 25_000,
  seed: 20231114,
};

const k = (n) => (n % 1000 === 0 ? `${n / 1000}k` : String(n));
export const title = `Storage at scale: ${k(SPEC.contacts)} contacts, ${k(SPEC.activities)} activities, real Chromium IndexedDB`;
const LOOKUPS_PER_RUN = 200;
const TIMELINES_PER_RUN = 20;
const BUDGET = '≤ 1.2× floor';

export default async function (b) {
  const bundle = await b.buildBundle('tests/bench/browser/storage.ts');
  b.log(`bundle: ${(bundle.bytes / 1024).toFixed(1)} kB, ${(bundle.gzipBytes / 1024).toFixed(1)} kB gzip`);
  // IndexedDB belongs to the origin: a kept profile only finds its fill again on the same port.
  const server = await serveBench(bundle, { title: 'storage bench', port: b.keep ? 47_310 : 0 });
  try {
    const context = await b.chromium();
    const page = await openBench(b, context, server.origin);

    const fillStart = Date.now();
    const fill = await page.evaluate((spec) => window.tlBench.fill(spec, (m) => console.log(m)), SPEC);
    b.log(`${fill.reused ? 'reused the kept fill' : 'filled'} in ${((Date.now() - fillStart) / 1000).toFixed(1)} s: ${JSON.stringify(fill.counts)}`);
    for (const [name, [dexie, raw]] of Object.entries(fill.counts)) {
      if (dexie !== raw) throw new Error(`${name}: Dexie has ${dexie} rows, the raw mirror ${raw}`);
    }
    if (fill.heavyCount < 10_000 && SPEC.activities === 500_000) throw new Error(`the heavy contact has ${fill.heavyCount} activities`);

    b.log("verifying");
    const sample = await page.evaluate(([n, seed]) => window.tlBench.sampleEmails(n, seed), [LOOKUPS_PER_RUN, 7]);
    await page.evaluate((s) => window.tlBench.verify(s), sample);
    const hasRecords = await page.evaluate(() => window.tlBench.hasGetAllRecords());
    const rawTimelines = hasRecords ? ['cursor', 'records'] : ['cursor'];

    b.log("measuring");
    // One warm-up pass each; then every run interleaves the sides so neither always gets the warmer cache or the quieter moment.
    await page.evaluate((s) => window.tlBench.timeLookups('dexie', s), sample);
    await page.evaluate((s) => window.tlBench.timeLookups('raw', s), sample);
    const timelineImpls = ['dexie', 'dexie-tx', ...rawTimelines];
    for (const impl of timelineImpls) await page.evaluate(([i, n]) => window.tlBench.timeTimelines(i, n), [impl, 3]);
    const ms = { lookup: { dexie: [], raw: [] }, timeline: { dexie: [], 'dexie-tx': [], cursor: [], records: [] } };
    for (let run = 0; run < b.runs; run++) {
      const lookups = await page.evaluate((s) => window.tlBench.timeLookupsInterleaved(s, 20), sample);
      for (const impl of ['dexie', 'raw']) ms.lookup[impl].push(lookups[impl] / LOOKUPS_PER_RUN);
      const timelines = await page.evaluate(([impls, n]) => window.tlBench.timeTimelinesInterleaved(impls, n), [timelineImpls, TIMELINES_PER_RUN]);
      for (const impl of timelineImpls) ms.timeline[impl].push(timelines[impl] / TIMELINES_PER_RUN);
    }

    const med = (xs) => b.median(xs);
    const lookupRatio = med(ms.lookup.dexie) / med(ms.lookup.raw);
    // The floor is the faster of the hand-written versions.
    const floorTimeline = Math.min(...rawTimelines.map((m) => med(ms.timeline[m])));
    const timelineRatio = med(ms.timeline.dexie) / floorTimeline;
    const verdict = (r) => (r <= 1.2 ? 'within budget' : 'over budget');
    const perRun = (n) => `${b.runs} runs × ${n} calls`;
    return {
      method: [
        `A page served from a loopback HTTP server runs a production bundle (${(bundle.gzipBytes / 1024).toFixed(1)} kB gzip) of \`tests/bench/browser/storage.ts\`,`,
        `which imports the project's \`ThreadlineDB\` (\`lib/db\`) and queries (\`lib/db/queries.ts\`). It fills Threadline's Dexie database with`,
        `${SPEC.contacts.toLocaleString('en')} contacts and ${SPEC.activities.toLocaleString('en')} email activities (plus one timeline link each);`,
        `one contact owns every ${SPEC.heavyEvery}th activity (${fill.heavyCount.toLocaleString('en')}). The same rows go into a raw IndexedDB mirror whose`,
        `stores and indexes are copied from Dexie's live schema. Fills use \`bulkAdd\` (Dexie) and \`add\` (raw) in transactions of ${SPEC.chunk.toLocaleString('en')} rows,`,
        `both with relaxed durability (Dexie returns to its default before anything is timed).`,
        `Both sides are checked to return identical rows first. Each run times, inside the page with \`performance.now()\`, ${LOOKUPS_PER_RUN} awaited`,
        `\`contactByEmail\` calls over a fixed sample of addresses (half upper-cased and padded) and ${TIMELINES_PER_RUN} awaited reads of the heavy`,
        `contact's newest 50 activities (\`timelineOf(id, {limit: 50})\`); the floor is the same lookup hand-written against raw IndexedDB`,
        `(one \`index('emails').get\`; a bounded reverse read on \`[contactId+occurredAt]\`, by reverse cursor${hasRecords ? ' and by `getAllRecords({direction: "prev"})`' : ''},`,
        `then one \`get\` per activity in the same transaction; the faster one is the floor). After one warm-up pass each, every run interleaves`,
        `the sides (lookups in blocks of 20 addresses, timelines one read each, rotating who goes first), so load from elsewhere on the machine`,
        `falls on both alike. Figures are medians of per-call means over ${b.runs} runs; ratios divide medians.`,
      ].join('\n'),
      rows: [
        { name: 'contact by email: `contactByEmail` (Dexie)', median: med(ms.lookup.dexie), unit: 'ms/call', runs: b.runs, ratio: lookupRatio, budget: BUDGET, note: `${verdict(lookupRatio)}; ${perRun(LOOKUPS_PER_RUN)}` },
        { name: 'contact by email: raw IndexedDB (floor)', median: med(ms.lookup.raw), unit: 'ms/call', runs: b.runs, ratio: 1 },
        { name: 'newest 50 of 10k activities: `timelineOf` (Dexie)', median: med(ms.timeline.dexie), unit: 'ms/call', runs: b.runs, ratio: timelineRatio, budget: BUDGET, note: `${verdict(timelineRatio)}; ${perRun(TIMELINES_PER_RUN)}` },
        {
          name: 'newest 50 of 10k activities: `timelineOf` wrapped in an outer Dexie read transaction (diagnostic)',
          median: med(ms.timeline['dexie-tx']),
          unit: 'ms/call',
          runs: b.runs,
          ratio: med(ms.timeline['dexie-tx']) / floorTimeline,
          note: 'timelineOf opens its own read transaction; this row shows how much of the spread is run-to-run noise',
        },
        ...rawTimelines.map((m) => ({
          name: `newest 50 of 10k activities: raw IndexedDB, ${m === 'cursor' ? 'reverse cursor' : 'getAllRecords'}${med(ms.timeline[m]) === floorTimeline ? ' (floor)' : ''}`,
          median: med(ms.timeline[m]),
          unit: 'ms/call',
          runs: b.runs,
          ratio: med(ms.timeline[m]) / floorTimeline,
        })),
        { name: `fill ${SPEC.contacts.toLocaleString('en')} contacts: Dexie bulkAdd`, median: fill.dexieMs.contacts / 1000, unit: 's', runs: 1, ratio: fill.dexieMs.contacts / fill.rawMs.contacts, note: `one fill, not a median${fill.reused ? '; from an earlier run (BENCH_KEEP_DIR)' : ''}` },
        { name: `fill ${SPEC.contacts.toLocaleString('en')} contacts: raw add (floor)`, median: fill.rawMs.contacts / 1000, unit: 's', runs: 1, ratio: 1 },
        { name: `fill ${SPEC.activities.toLocaleString('en')} activities + links: Dexie bulkAdd`, median: fill.dexieMs.activities / 1000, unit: 's', runs: 1, ratio: fill.dexieMs.activities / fill.rawMs.activities, note: `one fill, not a median${fill.reused ? '; from an earlier run (BENCH_KEEP_DIR)' : ''}` },
        { name: `fill ${SPEC.activities.toLocaleString('en')} activities + links: raw add (floor)`, median: fill.rawMs.activities / 1000, unit: 's', runs: 1, ratio: 1 },
      ],
    };
  } finally {
    await server.close();
  }
}
