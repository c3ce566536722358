import { chromium } from 'playwright-core';
import { chromeArgs, launchChrome } from '../../harness/chrome.mjs';

/**
 * The harness's launch, plus a spec's own host resolver rules when it declared extra hosts.
 * `launchChrome` takes no extra flags, so that case repeats its options here; a spec without
 * extra hosts goes through `launchChrome` unchanged.
 */
export async function launchForSpec({ hostRules, ...o }) {
  if (!hostRules) return launchChrome(o);
  const args = chromeArgs({ extDir: o.extDir }).concat(`--host-resolver-rules=${hostRules}`);
  return chromium.launchPersistentContext(o.profileDir, {
    executablePath: o.executablePath,
    headless: o.headless ?? true,
    args,
    ignoreDefaultArgs: ['--disable-extensions'],
    env: { ...process.env, HOME: o.home },
    viewport: o.viewport ?? { width: 1100, height: 760 },
    handleSIGINT: o.handleSignals ?? true,
    handleSIGTERM: o.handleSignals ?? true,
    handleSIGHUP: o.handleSignals ?? true,
  });
}
