import { createServer } from 'node:http';

/** A loopback HTTP server for bench pages: path → { type, body }. Anything else is a 404. */
export async function serveStatic(routes, { port = 0 } = {}) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const route = routes[path];
    if (path === '/favicon.ico' && !route) {
      res.writeHead(204).end();
      return;
    }
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' });
    res.end(route.body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = server.address().port;
  // Chromium keeps connections alive; close() alone would wait for them to time out.
  return {
    origin: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
