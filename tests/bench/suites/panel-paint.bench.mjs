import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { scratchDir } from '../../harness/scratch.mjs';
import { openBench, serveBench } from '../lib/bench-page.mjs';

export const title = 'Side panel paint: context change → contact card + first timeline page, 50k contacts, 10k activities on one contact';

const SPEC = {
  contacts: Number(process.env.BENCH_CONTACTS ?? 50_000),
  heavyActivities: Number(process.env.BENCH_HEAVY ?? 10_000),
  otherActivities: Number(process.env.BENCH_OTHER ?? 40_000),
};
const BUDGET_MS = 150;
/** Paint latency is spiky on a busy machine; more samples keep the median honest. */
const MIN_SAMPLES = 15;

/**
 * Builds the extension into a scratch dir (never the shared .output) and returns the files the
 * side panel page loads: its HTML's scripts and styles plus every chunk they import, transitively.
 */
async function buildSidePanel(root) {
  const scratch = scratchDir('threadline-bench-panel-build-');
  const { build } = await import('wxt');
  const quiet = () => {};
  const logger = { level: 0, debug: quiet, log: quiet, info: quiet, warn: quiet, error: console.error, fatal: console.error, success: quiet, start: quiet, box: quiet };
  await build({ root, outDir: scratch.path, browser: 'chrome', logger });
  const dir = join(scratch.path, 'chrome-mv3');
  const html = readFileSync(join(dir, 'sidepanel.html'), 'utf8');
  const seen = new Set();
  const queue = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  while (queue.length) {
    const f = posix.normalize(queue.shift());
    if (seen.has(f)) continue;
    seen.add(f);
    if (!f.endsWith('.js')) continue;
    const code = readFileSync(join(dir, f), 'utf8');
    for (const m of code.matchAll(/(?:import|from)\s*\(?\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) queue.push(posix.join(posix.dirname(f), m[1]));
  }
  const files = [...seen].map((f) => {
    const body = readFileSync(join(dir, f));
    return { file: f, bytes: statSync(join(dir, f)).size, gzip: gzipSync(body).length };
  });
  const css = files.filter((f) => f.file.endsWith('.css')).map((f) => readFileSync(join(dir, f.file), 'utf8')).join('\n');
  const allChunks = readdirSync(join(dir, 'chunks'));
  scratch.remove();
  return { files, css, allChunks };
}

export default async function (b) {
  b.log('building the extension (scratch outDir) for the side panel bundle');
  const sp = await buildSidePanel(b.root);
  const js = sp.files.filter((f) => f.file.endsWith('.js'));
  const sum = (xs, k) => xs.reduce((n, f) => n + f[k], 0);
  b.log(`side panel loads ${sp.files.map((f) => `${f.file} ${(f.bytes / 1024).toFixed(1)} kB`).join(', ')}`);

  const bundle = await b.buildBundle('tests/bench/panel/entry.tsx');
  b.log(`bench bundle: ${(bundle.bytes / 1024).toFixed(1)} kB, ${(bundle.gzipBytes / 1024).toFixed(1)} kB gzip`);
  const server = await serveBench(bundle, { title: 'panel bench', head: `<style>${sp.css}</style>`, bodyClass: 'bg-white text-slate-900', body: '<div id="root"></div>' });
  try {
    const context = await b.chromium();
    const page = await openBench(b, context, server.origin, { console: false });
    await page.setViewportSize({ width: 400, height: 900 });
    const fillStart = Date.now();
    const counts = await page.evaluate((spec) => window.tlBench.fill(spec, (m) => console.log(m)), SPEC);
    b.log(`filled in ${((Date.now() - fillStart) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
    if (counts.contacts !== SPEC.contacts || counts.heavy !== SPEC.heavyActivities) throw new Error(`fill mismatch: ${JSON.stringify(counts)}`);

    // A fresh page load: the database is on disk, nothing is cached in memory by the app.
    await page.reload();
    await page.waitForFunction(() => window.tlReady === true);
    const mount = await page.evaluate(() => window.tlBench.mount());
    b.log(`first mount (light thread): ${JSON.stringify(mount)}`);
    // Let IndexedDB's post-fill compaction settle, then three warm-up round trips.
    await new Promise((r) => setTimeout(r, 3000));
    for (let i = 0; i < 3; i++) {
      await page.evaluate(() => window.tlBench.switchTo('heavy'));
      await page.evaluate(() => window.tlBench.switchTo('light'));
    }
    const samples = Math.max(b.runs, MIN_SAMPLES);

    const heavy = [];
    const light = [];
    let rows = 0;
    for (let i = 0; i < samples; i++) {
      heavy.push(await page.evaluate(() => window.tlBench.switchTo('heavy')));
      rows = Math.max(rows, await page.evaluate(() => window.tlBench.renderedRows()));
      light.push(await page.evaluate(() => window.tlBench.switchTo('light')));
    }
    const med = (xs, k) => b.median(xs.map((x) => x[k]));
    const mHeavy = med(heavy, 'painted');
    const verdict = mHeavy <= BUDGET_MS ? 'within budget' : 'over budget';
    b.log(`heavy painted: ${heavy.map((x) => x.painted.toFixed(1)).join(', ')} ms; rows in DOM ≤ ${rows}`);
    const phases = (xs) => `card in DOM ${med(xs, 'card').toFixed(1)} ms, first rows ${med(xs, 'rows').toFixed(1)} ms (medians)`;
    return {
      method: [
        `A page served from a loopback HTTP server loads a production bundle (${(bundle.gzipBytes / 1024).toFixed(1)} kB gzip) of \`tests/bench/panel/entry.tsx\`,`,
        "which renders the real side panel `PageView` (contact card with hygiene flags, deals, virtualised `Timeline` with sync badges) against",
        "Threadline's real Dexie database in Chromium's IndexedDB, styled with the side panel's built Tailwind CSS, in a 400 × 900 viewport.",
        `The store holds ${SPEC.contacts.toLocaleString('en')} contacts, 5,000 companies, ${(SPEC.heavyActivities + SPEC.otherActivities).toLocaleString('en')} activities`,
        `(${SPEC.heavyActivities.toLocaleString('en')} on one contact), 200 queued outbox rows and a connected CRM, so each row's sync state is computed;`,
        'rows are shaped as the mutations write them (search terms, timeline links) but bulk-added for speed.',
        'After a reload (nothing cached by the app), a 3 s pause and three warm-up round trips, each run changes the page context from a light thread to the',
        "heavy contact's thread (the state update `useActiveContext` makes on a tab switch) and stops at the first frame after the heavy contact's",
        `card and newest timeline row are in the DOM (MutationObserver, then requestAnimationFrame + setTimeout 0), timed with \`performance.now()\`; ${samples} runs, median.`,
        "Not included: the storage.session event hop from the background to the panel. The bundle rows sum the files `sidepanel.html` loads",
        '(its scripts and stylesheet and every chunk they import) from a Chrome MV3 build into a scratch directory.',
      ].join('\n'),
      rows: [
        { name: 'context change → card + first timeline page painted (10k-activity contact)', median: mHeavy, unit: 'ms', runs: samples, budget: `${BUDGET_MS} ms`, ratio: mHeavy / BUDGET_MS, note: `${verdict}; ${phases(heavy)}; at most ${rows} timeline rows in the DOM` },
        { name: 'context change → card + timeline painted (20-activity contact)', median: med(light, 'painted'), unit: 'ms', runs: samples, note: phases(light) },
        { name: 'first mount after reload, Dexie open included (light thread)', median: mount.painted, unit: 'ms', runs: 1, note: 'one measurement, not a median' },
        { name: `side panel bundle: JS (${js.length} files)`, median: sum(js, 'bytes') / 1024, unit: 'kB', runs: 1, note: `${(sum(js, 'gzip') / 1024).toFixed(1)} kB gzip; ${js.map((f) => f.file.replace(/^chunks\//, '')).join(', ')}` },
        { name: 'side panel bundle: JS + CSS total', median: sum(sp.files, 'bytes') / 1024, unit: 'kB', runs: 1, note: `${(sum(sp.files, 'gzip') / 1024).toFixed(1)} kB gzip` },
      ],
    };
  } finally {
    await server.close();
  }
}
