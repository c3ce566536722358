import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { HOST_FOLDERS } from './hosts.mjs';

const FIXTURE_NAME = /^[a-z0-9][a-z0-9._-]{0,80}$/i;

/**
 * Serves tests/fixtures/pages/<site>/<fixture>.html over HTTPS for the mapped host names.
 * The folder comes from the Host header, the file from the `fixture` query parameter
 * (index.html without it), and any path works, so pages keep real-looking URLs.
 */
export async function startFixtureServer({ root, key, cert }) {
  const pagesDir = join(root, 'tests', 'fixtures', 'pages');
  const requests = [];
  const server = createServer({ key, cert }, (req, res) => {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', `https://${host || 'localhost'}`);
    requests.push(`${req.method} ${host}${url.pathname}${url.search}`);
    const folder = HOST_FOLDERS[host];
    if (!folder) return send(res, 404, `No fixtures for host ${host}.`);
    if (url.pathname === '/favicon.ico') return send(res, 204, '');
    const name = url.searchParams.get('fixture') ?? 'index';
    if (!FIXTURE_NAME.test(name)) return send(res, 400, 'Bad fixture name.');
    const file = join(pagesDir, folder, `${name}.html`);
    if (!existsSync(file)) return send(res, 404, `No fixture ${folder}/${name}.html.`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Browsers keep connections alive; close() alone would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** Which fixture pages exist for a site folder, for the demo's tab list. */
export function fixtureExists(root, folder, name) {
  return existsSync(join(root, 'tests', 'fixtures', 'pages', folder, `${name}.html`));
}
