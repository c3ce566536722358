#!/usr/bin/env node
/**
 * `npm run demo`: builds the extension, serves the demo mailbox pages over HTTPS under the real
 * host names, and opens Chromium with Threadline on a fresh profile, with no account anywhere.
 *
 *   npm run demo                  headful, runs until Ctrl-C or the window closes
 *   npm run demo -- --smoke       headless: checks the extension came up, then exits 0 or 1
 *   npm run demo -- --no-build    reuse .output/chrome-mv3 as it is
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCert } from './cert.mjs';
import { closeChrome, extensionIdOf, extensionWorker, findChrome, INSTALL_HINT, launchChrome } from './chrome.mjs';
import { fixtureExists, startFixtureServer } from './fixture-server.mjs';
import { scratchDir } from './scratch.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = new Set(process.argv.slice(2));
const smoke = args.has('--smoke');
const FOUNDATION_URL = 'https://mail.google.com/mail/u/0/?fixture=foundation#inbox/18bcd1f0a2e4c701';

/** The demo mailbox: each site's index page when the fixtures exist. */
const SITES = [
  { name: 'Gmail', folder: 'gmail', url: 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQZTMcQxbtRBcmZnVdfXsKwrRkP' },
  { name: 'Outlook', folder: 'outlook', url: 'https://outlook.office.com/mail/inbox/id/AAQkADAwATM0MDAAMS1iNTcwLTcwZTAtMDACLTAwCgAQAN' },
  { name: 'Google Calendar', folder: 'google-calendar', url: 'https://calendar.google.com/calendar/u/0/r/week' },
];

const executablePath = findChrome();
if (!executablePath) {
  console.error(INSTALL_HINT);
  process.exit(1);
}
if (!smoke && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error('No display to open Chromium on: run this from a desktop session, or under `xvfb-run npm run demo`, or check it headless with `npm run demo -- --smoke`.');
  process.exit(1);
}

if (!args.has('--no-build')) {
  console.log('Building the extension (npx wxt build)…');
  const built = spawnSync('npx', ['wxt', 'build'], { cwd: root, encoding: 'utf8', stdio: smoke ? 'pipe' : 'inherit' });
  if (built.status !== 0) {
    if (smoke) process.stderr.write(`${built.stdout ?? ''}${built.stderr ?? ''}`);
    console.error('The build failed; nothing was launched.');
    process.exit(1);
  }
}
const builtDir = join(root, '.output', 'chrome-mv3');
if (!existsSync(join(builtDir, 'manifest.json'))) {
  console.error('No build at .output/chrome-mv3: run `npx wxt build` (or drop --no-build).');
  process.exit(1);
}

const scratch = scratchDir('threadline-demo-');
// A private copy, so a rebuild in the working tree cannot pull files from under the running browser.
const extDir = join(scratch.path, 'extension');
cpSync(builtDir, extDir, { recursive: true });
const home = join(scratch.path, 'home');
mkdirSync(home);
const profileDir = join(scratch.path, 'profile');
const server = await startFixtureServer({ root, ...makeCert(scratch.path) });

let context;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (context) await closeChrome(context, profileDir);
  await server.close();
  scratch.remove();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  context = await launchChrome({ executablePath, profileDir, home, extDir, port: server.port, headless: smoke, viewport: smoke ? undefined : null, handleSignals: false });
  const sw = await extensionWorker(context, 20_000);
  const extensionId = extensionIdOf(sw);

  const sites = SITES.filter((s) => fixtureExists(root, s.folder, 'index'));
  if (!sites.some((s) => s.folder === 'gmail')) sites.unshift({ name: 'Gmail', folder: 'gmail', url: FOUNDATION_URL });
  const pages = [];
  for (const [i, site] of sites.entries()) {
    const page = i === 0 && context.pages()[0] ? context.pages()[0] : await context.newPage();
    await page.goto(site.url, { waitUntil: 'domcontentloaded' });
    pages.push({ site, page });
  }
  const gmail = pages.find((p) => p.site.folder === 'gmail').page;
  const gmailTab = await tabIdOf(sw, gmail.url());
  const panel = await context.newPage();
  await panel.goto(`chrome-extension://${extensionId}/sidepanel.html${gmailTab === null ? '' : `?tabId=${gmailTab}`}`);

  if (smoke) {
    const ok = await smokeChecks({ sw, gmail, gmailTab, panel });
    await stop(ok ? 0 : 1);
  } else {
    await gmail.bringToFront();
    console.log(`\nThreadline is running in Chromium (${executablePath}) on a fresh profile.`);
    for (const { site, page } of pages) console.log(`  ${site.name.padEnd(16)} ${page.url()}`);
    console.log(`  ${'Side panel'.padEnd(16)} the last tab, pinned to the Gmail tab; the toolbar button (puzzle-piece menu → Threadline) opens the real one.`);
    console.log('These host names resolve to a local server only in this browser; nothing leaves the machine.');
    console.log('Press Ctrl-C here (or close the window) to stop.');
    context.on('close', () => void stop(0));
  }
} catch (e) {
  console.error(`Demo failed: ${e?.message ?? e}`);
  await stop(1);
}

async function tabIdOf(sw, url) {
  for (let i = 0; i < 50; i++) {
    const id = await sw.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? null, url);
    if (id !== null) return id;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

async function waitFor(fn, timeout) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const v = await fn().catch(() => null);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 150));
  }
  return null;
}

/** What `--smoke` proves: worker up, router answering, content script reporting, panel rendering. */
async function smokeChecks({ sw, gmail, gmailTab, panel }) {
  const results = [];
  const check = (name, ok, detail = '') => {
    results.push(ok);
    console.log(`${ok ? '✓' : '✗'} ${name}${detail ? `: ${detail}` : ''}`);
  };
  check('service worker running', true, sw.url());

  const ping = await panel.evaluate(() => chrome.runtime.sendMessage({ tl: 1, name: 'ping', request: {} })).catch((e) => ({ ok: false, error: { message: e.message } }));
  check('ping answered', ping?.ok === true, ping?.ok ? `version ${ping.value.version}` : JSON.stringify(ping));

  const storedContext = (tab) => () => sw.evaluate(async (key) => (await chrome.storage.session.get(key))[key] ?? null, `tab:${tab}`);
  let ctx = gmailTab === null ? null : await waitFor(storedContext(gmailTab), 8_000);
  if (!ctx && gmail.url() !== FOUNDATION_URL) {
    // The demo mailbox may open on a view with nothing to log; a known thread tells the two apart.
    await gmail.goto(FOUNDATION_URL, { waitUntil: 'domcontentloaded' });
    const tab = await tabIdOf(sw, gmail.url());
    ctx = tab === null ? null : await waitFor(storedContext(tab), 8_000);
  }
  check('content script reported the Gmail page', Boolean(ctx?.site === 'gmail'), ctx ? `${ctx.site}/${ctx.view} "${ctx.subject ?? ''}", ${ctx.people.length} people` : 'no page context stored');

  const rendered = await waitFor(() => panel.evaluate(() => (document.querySelector('#root')?.textContent ?? '').includes('Threadline')), 5_000);
  check('side panel rendered', Boolean(rendered));

  const ok = results.every(Boolean);
  console.log(ok ? 'demo smoke: OK' : 'demo smoke: FAILED');
  return ok;
}
