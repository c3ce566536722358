/**
 * The `h` object every spec receives. Specs talk to the extension only through real browser
 * surfaces: pages, the side panel page, and the service worker.
 */
export function makeHelpers({ context, sw, extensionId, logs, serveHost }) {
  const extUrl = (path = '') => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;

  async function waitFor(fn, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
    const deadline = Date.now() + timeout;
    let lastError;
    for (;;) {
      try {
        const v = await fn();
        if (v) return v;
        lastError = undefined;
      } catch (e) {
        lastError = e;
      }
      if (Date.now() > deadline) {
        throw new Error(`Timed out after ${timeout} ms waiting for ${message}${lastError ? ` (last error: ${lastError.message ?? lastError})` : ''}`);
      }
      await new Promise((r) => setTimeout(r, interval));
    }
  }

  function assert(cond, message = 'assertion failed') {
    if (!cond) throw new Error(message);
  }

  async function newPage(url) {
    const page = await context.newPage();
    if (url) await page.goto(url, { waitUntil: 'domcontentloaded' });
    return page;
  }

  /** The side panel opened as a tab; `?tabId=` pins it to the tab it should follow. */
  async function openPanel(tabId) {
    const page = await newPage(extUrl(`sidepanel.html${tabId === undefined ? '' : `?tabId=${tabId}`}`));
    await page.waitForSelector('#root > *', { timeout: 10_000 });
    return page;
  }

  /** Chrome's tab id of a Playwright page, looked up by URL from the service worker. */
  async function tabIdOf(page) {
    const url = page.url();
    return waitFor(
      () =>
        sw.evaluate(async (u) => {
          const strip = (s) => (s ?? '').split('#')[0];
          const tabs = await chrome.tabs.query({});
          const tab = tabs.find((t) => t.url === u) ?? tabs.find((t) => strip(t.url) === strip(u));
          return tab?.id ?? null;
        }, url),
      { timeout: 5_000, message: `a tab with URL ${url}` },
    );
  }

  let messenger;
  /** Sends a raw runtime message from an extension page, as the side panel would; returns the router's answer. */
  async function message(raw, page) {
    if (!page) {
      if (!messenger || messenger.isClosed()) messenger = await newPage(extUrl('options.html'));
      page = messenger;
    }
    return page.evaluate((m) => chrome.runtime.sendMessage(m), raw);
  }
  const send = (name, request, page) => message({ tl: 1, name, request }, page);

  /** Rows of one store of the extension's IndexedDB, read raw in the service worker (no Dexie involved). */
  async function dbRows(store, { dbName = 'threadline' } = {}) {
    return sw.evaluate(
      ({ dbName, store }) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open(dbName);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const idb = open.result;
            if (!idb.objectStoreNames.contains(store)) {
              idb.close();
              return resolve([]);
            }
            const req = idb.transaction(store, 'readonly').objectStore(store).getAll();
            req.onsuccess = () => {
              idb.close();
              resolve(req.result);
            };
            req.onerror = () => reject(req.error);
          };
        }),
      { dbName, store },
    );
  }

  const log = (...args) => logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));

  /** Sets what answers HTTPS requests to one of the spec's declared `hosts` (a Node `(req, res)` handler). */
  const serve = (host, handler) => {
    if (!serveHost) throw new Error('serveHost is not available in this runner');
    serveHost(host, handler);
  };

  return { context, sw, extensionId, extUrl, newPage, openPanel, tabIdOf, waitFor, assert, log, message, send, dbRows, serveHost: serve };
}
