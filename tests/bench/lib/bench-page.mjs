import { serveStatic } from './static-server.mjs';

/**
 * The page the browser suites run the project's code in: one production bundle served from a
 * loopback origin, exposed as `window.tlBench`, with `window.tlReady` set once it has loaded.
 * A fixed `port` keeps the origin, and so a kept profile's IndexedDB, the same between runs.
 */
export function serveBench(bundle, { title, head = '', bodyClass = '', body = '', port = 0 }) {
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title>${head}<body class="${bodyClass}">${body}<script type="module">import * as bench from "/bench.js"; window.tlBench = bench; window.tlReady = true;</script></body></html>`;
  return serveStatic({ '/': { type: 'text/html', body: html }, '/bench.js': { type: 'text/javascript', body: bundle.code } }, { port });
}

/** A new tab on the bench page, its errors (and, unless told not to, its console) in the bench log. */
export async function openBench(b, context, origin, { console = true } = {}) {
  const page = await context.newPage();
  if (console) page.on('console', (m) => b.log(m.text()));
  page.on('pageerror', (e) => b.log(`page error: ${e.message}`));
  await page.goto(origin);
  await page.waitForFunction(() => window.tlReady === true);
  return page;
}
