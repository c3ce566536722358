import { request as httpRequest } from 'node:http';
import { createServer } from 'node:https';
import { hostResolverRules } from '../../harness/hosts.mjs';

/**
 * Extra host names a spec declares (`export const hosts = ['api.hubapi.com']`), served over HTTPS
 * with the run's self-signed certificate on one loopback port. Chromium resolves them here through
 * the same `--host-resolver-rules` that maps the mail hosts, so extension code reaches the real
 * URL it was built with. What answers is set at run time by the spec (`h.serveHost(host, handler)`);
 * a declared host without a handler answers 503. The certificate names only the mail hosts; like any
 * self-signed one it is accepted through Chromium's --ignore-certificate-errors, which every run sets.
 */
export async function startExtraHosts({ key, cert }) {
  const handlers = new Map();
  const server = createServer({ key, cert }, (req, res) => {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const handler = handlers.get(host);
    if (!handler) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end(`No handler for ${host}: the spec must call h.serveHost('${host}', handler).`);
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((e) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`Handler for ${host} failed: ${e?.message ?? e}`);
      });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = server.address().port;
  return {
    port,
    /** Only for the hosts the running spec declared: anything else would not resolve here anyway. */
    serve(host, handler) {
      handlers.set(host.toLowerCase(), handler);
    },
    reset() {
      handlers.clear();
      // A keep-alive connection from the last browser must not reach the next spec's handlers.
      server.closeAllConnections();
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The harness's rules with the spec's extra hosts mapped first (Chromium applies the first rule that matches). */
export function rulesWithExtraHosts(fixturePort, extraHosts, extraPort) {
  const extra = extraHosts.map((h) => `MAP ${h} 127.0.0.1:${extraPort}`);
  return [...extra, hostResolverRules(fixturePort)].join(',');
}

/**
 * A handler that forwards each request to a plain-HTTP server on loopback (a fake CRM) and
 * relays its answer. `intercept(req, forward)` may answer instead of, or after, forwarding:
 * `forward()` resolves to `{ status, headers, body }` (a Buffer) once the upstream has answered.
 */
export function proxyTo(baseUrl, intercept) {
  const upstream = new URL(baseUrl);
  return async (req, res) => {
    const body = await readBody(req);
    const forward = () =>
      new Promise((resolve, reject) => {
        const out = httpRequest(
          { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
          async (up) => resolve({ status: up.statusCode ?? 502, headers: up.headers, body: await readBody(up) }),
        );
        out.on('error', reject);
        out.end(body);
      });
    const answer = intercept ? await intercept({ method: req.method, path: new URL(req.url ?? '/', 'https://x').pathname, headers: req.headers, body }, forward) : await forward();
    const headers = { ...answer.headers };
    // The body is relayed whole, so the upstream's framing does not apply.
    delete headers['transfer-encoding'];
    delete headers.connection;
    headers['content-length'] = String(answer.body?.length ?? 0);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  };
}

function readBody(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
