import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOSTS } from './hosts.mjs';

/**
 * A fresh self-signed certificate for every mapped host, made per run so no key ever lives in
 * the repo. Chromium is started with --ignore-certificate-errors, but a certificate that names
 * the hosts keeps the pages a normal secure origin.
 */
export function makeCert(dir) {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const san = HOSTS.map((h) => `DNS:${h}`).concat('DNS:localhost', 'IP:127.0.0.1').join(',');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${HOSTS[0]}`, '-addext', `subjectAltName=${san}`, '-keyout', key, '-out', cert],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (e) {
    const why = e.code === 'ENOENT' ? 'openssl is not installed (on Debian: apt-get install openssl)' : String(e.stderr || e.message).trim();
    throw new Error(`Could not make the test certificate: ${why}`);
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}
