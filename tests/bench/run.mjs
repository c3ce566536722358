#!/usr/bin/env node
/**
 * Bench runner: `npm run bench [-- filter]` runs tests/bench/suites/<name>.bench.mjs and
 * rewrites BENCHMARKS.md. Each suite exports `title` and a default async function (b) that
 * returns { method, rows: [{ name, median, unit, runs, budget?, ratio?, note? }] }.
 * Not part of CI: it measures this machine, it does not pass or fail the build.
 * BENCH_RUNS sets the runs per measurement (7); BENCH_KEEP_DIR=<dir> keeps browser profiles.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { closeChrome, findChrome, INSTALL_HINT, launchChrome } from '../harness/chrome.mjs';
import { scratchDir } from '../harness/scratch.mjs';
import { buildBundle } from './lib/build-bundle.mjs';
import { machineFacts } from './lib/machine.mjs';
import { renderSection, writeReport } from './lib/report.mjs';
import { median, time } from './lib/stats.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suitesDir = join(root, 'tests', 'bench', 'suites');
const filter = process.argv[2];
const runs = Number(process.env.BENCH_RUNS ?? 7);

const executablePath = findChrome();
if (!executablePath) {
  console.error(INSTALL_HINT);
  process.exit(1);
}

const files = readdirSync(suitesDir)
  .filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter)))
  .sort();
if (!files.length) {
  console.error(`No bench suite matches ${filter ? `"${filter}"` : 'tests/bench/suites/*.bench.mjs'}.`);
  process.exit(1);
}

const machine = machineFacts(executablePath);
console.log(`machine: ${machine.cpu} ×${machine.cores}, ${machine.ramGiB} GiB, Node ${machine.node}, ${machine.chromium}`);
const sections = new Map();
let failures = 0;
/** What a Ctrl-C must clean up: the running suite's browsers and scratch dir. */
let live = null;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    console.error(`\n${sig}: stopping; BENCHMARKS.md is left as it was.`);
    if (live) {
      for (const { context, profileDir } of live.contexts) await closeChrome(context, profileDir, 1_000);
      live.scratch.remove();
    }
    process.exit(130);
  });
}

for (const file of files) {
  const name = basename(file, '.bench.mjs');
  const mod = await import(pathToFileURL(join(suitesDir, file)).href);
  const title = mod.title ?? name;
  // BENCH_KEEP_DIR keeps each suite's browser profile between runs, so a suite may reuse its fill.
  const keepDir = process.env.BENCH_KEEP_DIR ? resolve(process.env.BENCH_KEEP_DIR, name) : null;
  if (keepDir) mkdirSync(keepDir, { recursive: true });
  const scratch = keepDir ? { path: keepDir, remove() {} } : scratchDir(`threadline-bench-${name}-`);
  const contexts = [];
  live = { contexts, scratch };
  const t0 = Date.now();
  const b = {
    runs,
    median,
    time,
    root,
    /** True when the profile outlives this run (BENCH_KEEP_DIR): use fixed origins so storage is found again. */
    keep: Boolean(keepDir),
    log: (...a) => console.log(`  [${name} +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a),
    buildBundle: (entry, opts) => buildBundle(root, entry, opts),
    async chromium() {
      const n = contexts.length;
      const home = join(scratch.path, `home-${n}`);
      mkdirSync(home, { recursive: true });
      const profileDir = join(scratch.path, `profile-${n}`);
      const context = await launchChrome({ executablePath, profileDir, home, headless: true, handleSignals: false });
      contexts.push({ context, profileDir });
      return context;
    },
  };
  console.log(`▶ ${name}: ${title}`);
  let result;
  try {
    result = await mod.default(b);
    if (!result?.method || !Array.isArray(result.rows)) throw new Error('the suite returned no { method, rows }');
    for (const r of result.rows) {
      const extra = [typeof r.ratio === 'number' ? `${r.ratio.toFixed(2)}×` : '', r.budget ? `budget ${r.budget}` : ''].filter(Boolean).join(', ');
      console.log(`  ${r.name}: ${typeof r.median === 'number' ? r.median.toFixed(3) : r.median} ${r.unit}${extra ? ` (${extra})` : ''}`);
    }
  } catch (e) {
    failures++;
    console.error(`✗ ${name} failed: ${e?.stack ?? e}`);
    result = { error: String(e?.message ?? e) };
  } finally {
    for (const { context, profileDir } of contexts) await closeChrome(context, profileDir);
    scratch.remove();
    live = null;
  }
  result.date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  sections.set(name, renderSection(name, title, result));
  console.log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

writeReport(join(root, 'BENCHMARKS.md'), machine, sections);
console.log('wrote BENCHMARKS.md');
process.exit(failures ? 1 : 0);
