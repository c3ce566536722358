import { loadavg } from 'node:os';
import { serveStatic } from '../lib/static-server.mjs';

export const title = 'Nudge rules at scale: full pass over 50k contacts, 500k activities, 5k open deals; incremental pass after a capture';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0); // a Monday
const SPEC = {
  contacts: Number(process.env.BENCH_CONTACTS ?? 50_000),
  activities: Number(process.env.BENCH_ACTIVITIES ?? 500_000),
  openDeals: Number(process.env.BENCH_OPEN_DEALS ?? 5_000),
  closedDeals: 1_000,
  spanDays: 730,
  chunk: 25_000,
  seed: 20261123,
  now: NOW,
};
const FULL_BUDGET_MS = 500;
const INCREMENTAL_BUDGET_MS = 20;

export default async function (b) {
  const bundle = await b.buildBundle('tests/bench/nudges/browser.ts');
  b.log(`bundle: ${(bundle.bytes / 1024).toFixed(1)} kB, ${(bundle.gzipBytes / 1024).toFixed(1)} kB gzip`);
  const server = await serveStatic({
    '/': {
      type: 'text/html',
      body: '<!doctype html><meta charset="utf-8"><title>nudge bench</title><script type="module">import * as bench from "/bench.js"; window.tlBench = bench; window.tlReady = true;</script>',
    },
    '/bench.js': { type: 'text/javascript', body: bundle.code },
  });
  try {
    const context = await b.chromium();
    const page = await context.newPage();
    page.on('console', (m) => b.log(m.text()));
    page.on('pageerror', (e) => b.log(`page error: ${e.message}`));
    await page.goto(server.origin);
    await page.waitForFunction(() => window.tlReady === true);
    page.setDefaultTimeout(0);

    const loadBefore = loadavg()[0];
    const t0 = Date.now();
    const counts = await page.evaluate((spec) => window.tlBench.fill(spec, (m) => console.log(m)), SPEC);
    b.log(`filled in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
    if (counts.contacts !== SPEC.contacts || counts.activities !== SPEC.activities || counts.openDeals !== SPEC.openDeals) {
      throw new Error(`fill mismatch: ${JSON.stringify(counts)}`);
    }

    // The first pass creates every nudge the seeded store calls for: a one-off, reported apart.
    const first = await page.evaluate((now) => window.tlBench.timeFullPass(now, true), NOW);
    const nudges = await page.evaluate(() => window.tlBench.nudgeCounts());
    b.log(`first pass ${first.ms.toFixed(0)} ms, wrote ${JSON.stringify(first.written)}; live nudges ${JSON.stringify(nudges)}`);

    const reads = await page.evaluate((now) => window.tlBench.timeReads(now), NOW);
    b.log(`reads: ${JSON.stringify(reads)}`);
    const full = [];
    const loads = [];
    const rules = [];
    const complete = [];
    const completeLoads = [];
    let steadyWrites = 0;
    for (let i = 0; i < b.runs; i++) {
      const at = NOW + (i + 1) * 1000;
      // Alternate which kind goes first so neither always meets the warmer cache.
      const kinds = i % 2 ? [true, false] : [false, true];
      for (const isComplete of kinds) {
        const r = await page.evaluate(([now, c]) => window.tlBench.timeFullPass(now, c), [at, isComplete]);
        steadyWrites += r.written.created + r.written.retired;
        const parts = await page.evaluate(([now, c]) => window.tlBench.timeFullPassParts(now, c), [at, isComplete]);
        if (isComplete) {
          complete.push(r.ms);
          completeLoads.push(parts.loadMs);
        } else {
          full.push(r.ms);
          loads.push(parts.loadMs);
          rules.push(parts.rulesMs);
        }
      }
    }
    b.log(`steady periodic passes: ${full.map((x) => x.toFixed(0)).join(', ')} ms; complete: ${complete.map((x) => x.toFixed(0)).join(', ')} ms`);
    // Warm-up, then one capture + one incremental pass per run.
    await page.evaluate((now) => window.tlBench.timeIncremental(now, 1000), NOW);
    const inc = [];
    const cap = [];
    let incWrites = 0;
    let scope = 0;
    for (let i = 0; i < Math.max(b.runs, 15); i++) {
      const r = await page.evaluate(([now, run]) => window.tlBench.timeIncremental(now, run), [NOW + 10_000 + i * 1000, i]);
      inc.push(r.ms);
      cap.push(r.captureMs);
      incWrites += r.written.created + r.written.retired;
      scope = Math.max(scope, r.scope);
      b.log(`incremental ${i}: pass ${r.ms.toFixed(1)} ms, capture ${r.captureMs.toFixed(1)} ms`);
    }

    const loadAfter = loadavg()[0];
    const med = (xs) => b.median(xs);
    const verdict = (m, budget) => (m <= budget ? 'within budget' : 'OVER budget');
    const nudgeList = Object.entries(nudges).map(([k, v]) => `${v.toLocaleString('en')} ${k}`).join(', ');
    return {
      method: [
        `A page served from a loopback HTTP server runs a production bundle (${(bundle.gzipBytes / 1024).toFixed(1)} kB gzip) of \`tests/bench/nudges/browser.ts\`,`,
        `which imports the project's \`lib/nudges\`, \`lib/capture\` and \`lib/db\`. It fills Threadline's own Dexie database in real Chromium IndexedDB with`,
        `${SPEC.contacts.toLocaleString('en')} contacts (one in ten a customer), ${SPEC.activities.toLocaleString('en')} activities over ${SPEC.spanDays} days (85% email, skewed so a few contacts are busy;`,
        `${counts.windowActivities.toLocaleString('en')} fall in the 30-day look-back window) with their timeline links, and ${SPEC.openDeals.toLocaleString('en')} open + ${SPEC.closedDeals.toLocaleString('en')} won deals (default pipeline, 75% with a next step).`,
        `Rows are written raw with relaxed durability (the fill is not measured). The clock is fixed at ${new Date(NOW).toISOString()}.`,
        `A first full pass creates the nudges the data calls for (${first.ms.toFixed(0)} ms, one-off: ${nudgeList}). Then each run times, with \`performance.now()\` in the page,`,
        `the periodic \`runFullPass(now)\` (index reads only: the open deals, the last 16 days of activities by the occurredAt index, the stored nudges' rule keys`,
        `(keys, not records), the contacts written to in that email, the customers whose silence crosses 90 days by a lastTouchedAt index slice, a reverse`,
        `[dealId+occurredAt] probe per deal neither recently active nor already nudged; then the five rules and the diff; writes only when something changed: ${steadyWrites} writes over`,
        `${2 * b.runs} steady runs) and the complete pass (30-day window, every contact read, every quiet deal probed), each also split into store reads and pure rules.`,
        `One read of each big input, timed alone before the runs: ${Object.entries(reads).map(([k, v]) => `${k} ${v} ms`).join(', ')} (contacts = all 50k; window = 30 days).`,
        `The incremental pass: each run captures a new reply from one of the busiest contacts with \`capturePage\` (not timed, median ${med(cap).toFixed(1)} ms), then times`,
        `\`runForCapture(ctx)\`, the pass the background runs after every log (it loads only that contact, its deals, its recent email and its nudges; up to`,
        `${scope} emails in scope; ${incWrites} nudge writes over ${inc.length} runs, mostly no-reply nudges the reply clears). Medians.`,
        `Machine load while measuring (1-minute load average on the host: ${loadBefore.toFixed(1)} before the fill, ${loadAfter.toFixed(1)} after the runs):`,
        `other sessions' builds, tests and browsers shared the CPU, so absolute figures are inflated and noisy; compare the rows with each other.`,
      ].join('\n'),
      rows: [
        { name: 'full rule pass, periodic (every 30 min): `runFullPass(now)`', median: med(full), unit: 'ms', runs: b.runs, budget: `≤ ${FULL_BUDGET_MS} ms`, note: verdict(med(full), FULL_BUDGET_MS) },
        { name: '… of which store reads (index slices): `loadFull`', median: med(loads), unit: 'ms', runs: b.runs },
        { name: '… of which the five pure rules: `evaluateNudges`', median: med(rules), unit: 'ms', runs: b.runs },
        { name: 'complete pass (start-up, panel edits, daily): `runFullPass(now, {complete: true})`', median: med(complete), unit: 'ms', runs: b.runs, budget: `≤ ${FULL_BUDGET_MS} ms`, note: verdict(med(complete), FULL_BUDGET_MS) },
        { name: '… of which store reads (every contact): `loadFull({complete})`', median: med(completeLoads), unit: 'ms', runs: b.runs },
        { name: 'incremental pass after one capture: `runForCapture`', median: med(inc), unit: 'ms', runs: inc.length, budget: `≤ ${INCREMENTAL_BUDGET_MS} ms`, note: verdict(med(inc), INCREMENTAL_BUDGET_MS) },
        { name: 'first full pass on the seeded store (creates every nudge)', median: first.ms, unit: 'ms', runs: 1, note: 'one-off, not a median' },
      ],
    };
  } finally {
    await server.close();
  }
}
