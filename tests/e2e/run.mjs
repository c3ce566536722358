#!/usr/bin/env node
/**
 * E2E runner: loads the built extension (EXT_DIR, default .output/chrome-mv3) into real
 * Chromium, serves fixture pages under the real host names, and runs every
 * tests/e2e/specs/<name>.spec.mjs in a fresh profile. It builds nothing.
 *
 *   node tests/e2e/run.mjs [filter]     E2E_VERBOSE=1 prints spec logs and browser console
 *
 * A spec may also export `hosts` (extra host names served over HTTPS by handlers the spec sets
 * with `h.serveHost`, e.g. a fake CRM as api.hubapi.com) and `grantOptionalHosts` (optional host
 * permissions the spec's copy of the extension holds from the start; see lib/extension-copy.mjs).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeCert } from '../harness/cert.mjs';
import { closeChrome, extensionIdOf, extensionWorker, findChrome, INSTALL_HINT, launchChrome } from '../harness/chrome.mjs';
import { startFixtureServer } from '../harness/fixture-server.mjs';
import { scratchDir } from '../harness/scratch.mjs';
import { extensionGranting } from './lib/extension-copy.mjs';
import { rulesWithExtraHosts, startExtraHosts } from './lib/extra-hosts.mjs';
import { makeHelpers } from './lib/helpers.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const specsDir = join(root, 'tests', 'e2e', 'specs');
const artifacts = join(root, 'artifacts');
const extDir = resolve(root, process.env.EXT_DIR ?? '.output/chrome-mv3');
const SPEC_TIMEOUT_MS = Number(process.env.E2E_SPEC_TIMEOUT_MS ?? 60_000);
const verbose = process.env.E2E_VERBOSE === '1';
const filter = process.argv[2];

const executablePath = findChrome();
if (!executablePath) {
  console.error(INSTALL_HINT);
  process.exit(1);
}

const specs = readdirSync(specsDir)
  .filter((f) => f.endsWith('.spec.mjs') && (!filter || f.includes(filter)))
  .sort();
if (!specs.length) {
  console.error(`No spec matches ${filter ? `"${filter}"` : 'tests/e2e/specs/*.spec.mjs'}.`);
  console.log('0 passed, 0 failed');
  process.exit(1);
}

const scratch = scratchDir('threadline-e2e-');
const home = join(scratch.path, 'home');
mkdirSync(home);
const tls = makeCert(scratch.path);
const server = await startFixtureServer({ root, ...tls });
/** Started on the first spec that declares extra hosts. */
let extraHosts = null;
const started = Date.now();
let passed = 0;
let failed = 0;
let live = null;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    console.error(`\n${sig}: stopping.`);
    if (live) await closeChrome(live.context, live.profileDir, 1_000);
    await server.close();
    await extraHosts?.close();
    scratch.remove();
    process.exit(130);
  });
}

try {
  for (const file of specs) {
    const name = basename(file, '.spec.mjs');
    let title = name;
    const logs = [];
    const t0 = Date.now();
    let context;
    let error;
    try {
      const mod = await import(pathToFileURL(join(specsDir, file)).href);
      title = mod.title ?? name;
      if (typeof mod.default !== 'function') throw new Error(`${file} has no default export function`);
      const profileDir = join(scratch.path, `profile-${name}`);
      const hosts = (mod.hosts ?? []).map((h) => String(h).toLowerCase());
      const grants = mod.grantOptionalHosts ?? [];
      const specExtDir = grants.length ? extensionGranting(extDir, grants, join(scratch.path, `ext-${name}`)) : extDir;
      if (hosts.length) extraHosts ??= await startExtraHosts(tls);
      const hostRules = hosts.length ? rulesWithExtraHosts(server.port, hosts, extraHosts.port) : undefined;
      context = await launchChrome({ executablePath, profileDir, home, extDir: specExtDir, port: server.port, hostRules, handleSignals: false });
      live = { context, profileDir };
      context.on('console', (m) => logs.push(`[console.${m.type()}] ${m.text()}`));
      context.on('weberror', (e) => logs.push(`[page error] ${e.error()?.message ?? e.error()}`));
      const sw = await extensionWorker(context);
      const serveHost = (host, handler) => {
        if (!hosts.includes(host.toLowerCase())) throw new Error(`${host} is not among ${file}'s \`export const hosts\` (${hosts.join(', ') || 'none'})`);
        extraHosts.serve(host, handler);
      };
      const h = makeHelpers({ context, sw, extensionId: extensionIdOf(sw), logs, serveHost });
      await withTimeout(mod.default(h), SPEC_TIMEOUT_MS, `spec exceeded ${SPEC_TIMEOUT_MS} ms`);
    } catch (e) {
      error = e;
    }
    const ms = Date.now() - t0;
    if (error) {
      failed++;
      console.log(`✗ ${name}: ${title} (${ms} ms)`);
      console.log(`    ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n    ')}`);
      if (context) await saveArtifacts(context, name, logs);
    } else {
      passed++;
      console.log(`✓ ${name}: ${title} (${ms} ms)`);
    }
    if (verbose || error) for (const l of logs.slice(-40)) console.log(`    | ${l}`);
    if (context) await closeChrome(context, live.profileDir);
    extraHosts?.reset();
    live = null;
  }
} finally {
  await server.close();
  await extraHosts?.close();
  scratch.remove();
}

console.log(`e2e finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}

async function saveArtifacts(context, name, logs) {
  mkdirSync(artifacts, { recursive: true });
  const pages = context.pages();
  for (const [i, page] of pages.entries()) {
    const file = join(artifacts, `e2e-${name}-${i}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
      console.log(`    screenshot: ${file} (${page.url()})`);
    } catch {
      // a page that crashed or closed has nothing to show
    }
  }
  writeFileSync(join(artifacts, `e2e-${name}.log`), logs.join('\n') + '\n');
}
