import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { hostResolverRules } from './hosts.mjs';

export const INSTALL_HINT = 'No Chrome or Chromium found: install one (on Debian: apt-get install chromium) or set CHROME_PATH.';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** $CHROME_PATH, then Debian's /usr/bin/chromium, then the usual names on PATH; null when none. */
export function findChrome() {
  const env = process.env.CHROME_PATH;
  if (env && executable(env)) return env;
  if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const name of CANDIDATES) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (found && executable(found)) return found;
    } catch {
      // not on PATH: try the next name
    }
  }
  return null;
}

/** Version string of the browser binary, e.g. "Chromium 156.0.8078.79 built on Debian…". */
export function chromeVersion(executablePath) {
  try {
    return execFileSync(executablePath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** The flags every run shares: no network, no first-run noise, the extension and host mapping. */
export function chromeArgs({ extDir, port, hostRules }) {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--ignore-certificate-errors',
    // Branded Chrome 137+ ignores --load-extension unless this feature is off; Chromium accepts it silently.
    '--disable-features=DisableLoadExtensionCommandLineSwitch',
  ];
  if (extDir) args.push(`--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`);
  // Chromium keeps only the last --host-resolver-rules, so a caller's extra hosts replace the default set whole.
  const rules = hostRules ?? (port ? hostResolverRules(port) : undefined);
  if (rules) args.push(`--host-resolver-rules=${rules}`);
  return args;
}

/**
 * Chromium writes $HOME/.cache, .config and .local even with its own profile dir, so every
 * launch gets HOME pointed at a scratch dir.
 */
export async function launchChrome({ executablePath, profileDir, home, extDir, port, hostRules, headless = true, viewport = { width: 1100, height: 760 }, handleSignals = true }) {
  if (extDir && !existsSync(join(extDir, 'manifest.json'))) {
    throw new Error(`No built extension at ${extDir} (run npx wxt build first, or set EXT_DIR).`);
  }
  return chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless,
    args: chromeArgs({ extDir, port, hostRules }),
    // Playwright adds --disable-extensions by default; the extension is the point here.
    ignoreDefaultArgs: ['--disable-extensions'],
    env: { ...process.env, HOME: home },
    viewport,
    // Playwright's own Ctrl-C handler exits at once; callers that clean up after themselves opt out.
    handleSIGINT: handleSignals,
    handleSIGTERM: handleSignals,
    handleSIGHUP: handleSignals,
  });
}

/** The extension's service worker: already running, or the next one to start. */
export async function extensionWorker(context, timeout = 15_000) {
  const isExt = (w) => w.url().startsWith('chrome-extension://');
  const found = context.serviceWorkers().find(isExt);
  if (found) return found;
  try {
    return await context.waitForEvent('serviceworker', { predicate: isExt, timeout });
  } catch {
    throw new Error(
      `The extension's service worker did not start within ${timeout} ms. If this is branded Google Chrome, it may ignore --load-extension: use Chromium, or load the folder by hand from chrome://extensions.`,
    );
  }
}

export const extensionIdOf = (sw) => new URL(sw.url()).host;

/**
 * Closes the browser, and SIGKILLs it if it lingers: after large IndexedDB writes Chromium runs
 * its pre-close compaction for up to a minute, which a throw-away profile does not need.
 * Only processes started with this exact profile dir are signalled.
 */
export async function closeChrome(context, profileDir, graceMs = 5_000) {
  let timer;
  const closed = context.close().then(
    () => true,
    () => true,
  );
  const ok = await Promise.race([closed, new Promise((r) => (timer = setTimeout(() => r(false), graceMs)))]);
  clearTimeout(timer);
  if (ok) return;
  for (const pid of pidsUsingProfile(profileDir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await closed;
}

function pidsUsingProfile(profileDir) {
  const flag = `--user-data-dir=${profileDir}`;
  const pids = [];
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const args = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      if (args.includes(flag)) pids.push(Number(e));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}
