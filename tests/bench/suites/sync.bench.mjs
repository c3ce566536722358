import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveBench } from '../lib/bench-page.mjs';
import { buildTsForNode } from '../../harness/ts-module.mjs';

export const title = 'Sync push: 10,000 logged activities to the fake HubSpot at its documented rate limit';

const ACTIVITIES = Number(process.env.BENCH_SYNC_ACTIVITIES ?? 10_000);
const CONTACTS = 100;
/** HubSpot private apps (Free/Starter): 100 requests per rolling 10 s. Real numbers, real clock. */
const TOKENS = 100;
const WINDOW_MS = Number(process.env.BENCH_SYNC_WINDOW_MS ?? 10_000);
const RATIO_BUDGET = 1.1;

/** The fake CRM in a child process: its CPU is not the engine's, as with a real CRM. */
function startFakeProcess(file) {
  const child = fork(file, [], { env: { ...process.env, TL_TOKENS: String(TOKENS), TL_WINDOW_MS: String(WINDOW_MS) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = [];
  child.on('message', (m) => waiting.shift()?.(m));
  const next = () => new Promise((r) => waiting.push(r));
  return {
    ready: next(),
    stats: () => {
      const p = next();
      child.send({ type: 'stats' });
      return p;
    },
    close: () => new Promise((r) => {
      child.once('exit', r);
      child.send({ type: 'close' });
    }),
  };
}

export default async function (b) {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-sync-bench-'));
  const bundle = await b.buildBundle('tests/bench/sync/browser.ts');
  const page = await serveBench(bundle, { title: 'sync bench' });
  try {
    const fakeFile = await buildTsForNode(b.root, 'tests/bench/sync/fake-main.ts', dir);
    const context = await b.chromium();
    // Each run takes the floor plus filling the store; three runs keep the suite to a few minutes.
    const runs = Math.min(b.runs, Number(process.env.BENCH_SYNC_RUNS ?? 3));
    const results = [];
    for (let i = 0; i < runs; i++) {
      const fake = startFakeProcess(fakeFile);
      const { url } = await fake.ready;
      const tab = await context.newPage();
      try {
        tab.on('pageerror', (e) => b.log(`page error: ${e.message}`));
        // BENCH_SYNC_PROFILE=<file>: a CPU profile of the page for finding where the time goes,
        // from the end of the fill (the page then waits one window) to the end of the run.
        const cdp = process.env.BENCH_SYNC_PROFILE ? await context.newCDPSession(tab) : undefined;
        if (cdp) await cdp.send('Profiler.enable');
        await tab.exposeFunction('tlStats', () => fake.stats());
        await tab.exposeFunction('tlLog', async (m) => {
          b.log(m);
          if (cdp && m.startsWith('filled')) await cdp.send('Profiler.start');
        });
        await tab.goto(page.origin);
        await tab.waitForFunction(() => window.tlReady === true);
        tab.setDefaultTimeout(0);
        const r = await tab.evaluate(
          (o) => window.tlBench.pushActivities({ ...o, stats: () => window.tlStats(), log: (m) => window.tlLog(m) }),
          { url, activities: ACTIVITIES, contacts: CONTACTS, tokens: TOKENS, windowMs: WINDOW_MS },
        );
        if (cdp) writeFileSync(process.env.BENCH_SYNC_PROFILE, JSON.stringify((await cdp.send('Profiler.stop')).profile));
        b.log(`run ${i + 1}: ${r.requests} requests ${JSON.stringify(r.byRoute)}, ${(r.wallMs / 1000).toFixed(2)} s vs floor ${(r.floorMs / 1000).toFixed(1)} s, 429s ${r.rateLimited}, remote emails ${r.remoteEngagements}`);
        results.push(r);
      } finally {
        await tab.close();
        await fake.close();
      }
    }
    return report(b, results, runs);
  } finally {
    await page.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(b, results, runs) {
  const wall = b.median(results.map((r) => r.wallMs));
  const floor = b.median(results.map((r) => r.floorMs));
  const requests = b.median(results.map((r) => r.requests));
  const perItem = ACTIVITIES * 2; // one create plus one association call per activity
  return {
    method:
      `Engine from lib/sync in a headless Chromium page (production bundle, Chromium's IndexedDB, fetch), fake HubSpot (tests/fakes/hubspot) in a separate Node process on 127.0.0.1 enforcing ${TOKENS} requests per rolling ${WINDOW_MS / 1000} s (HubSpot private app, Free/Starter) and answering 429 TEN_SECONDLY_ROLLING beyond it; real clock, no scaling. ` +
      `${CONTACTS} contacts are synced first (not measured), then ${ACTIVITIES.toLocaleString('en')} logged emails are queued and one sync run pushes them: batch upsert by the unique threadline_id property (100 per request) plus batch default associations (100 per request). ` +
      `Floor = the earliest the last of N requests may leave under the limit = floor((N−1)/${TOKENS})×${WINDOW_MS / 1000} s. One-request-per-item = a create plus an association per activity. ${runs} runs; medians. ` +
      `The two request URLs are called once before the measured run (more than a window earlier, not counted in it) so Chromium's CORS preflights, which an extension with host permissions does not make, stay out of the figure. ` +
      `Each run logs when each window's requests left and were answered: the second window opens one window after each first-window answer (the limiter times tokens from answers, which is what keeps it safe), so the wall time is the floor plus the time to get the first window answered plus the last request's round trip.`,
    rows: [
      { name: 'requests (batched)', median: requests, unit: 'requests', runs, note: `vs ${perItem.toLocaleString('en')} one-request-per-item (${(perItem / requests).toFixed(0)}× fewer)` },
      { name: `wall time, ${ACTIVITIES.toLocaleString('en')} activities`, median: Math.round(wall), unit: 'ms', runs, ratio: wall / floor, budget: `≤ ${RATIO_BUDGET}× floor`, note: wall / floor <= RATIO_BUDGET ? 'within budget' : 'OVER budget' },
      { name: 'rate-limit floor (empty window: floor((N−1)/100)×10 s)', median: floor, unit: 'ms', runs },
      { name: 'sustained-rate time (N ÷ 100 × 10 s), for comparison', median: (requests / TOKENS) * WINDOW_MS, unit: 'ms', runs, ratio: wall / ((requests / TOKENS) * WINDOW_MS) },
      { name: '429 answers met', median: b.median(results.map((r) => r.rateLimited)), unit: 'count', runs },
    ],
  };
}
