import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import config, { MAIL_HOSTS } from '../../wxt.config';
import gmailScript from '@/entrypoints/gmail.content';
import calendarScript from '@/entrypoints/google-calendar.content';
import outlookScript from '@/entrypoints/outlook.content';

/**
 * The permissions and CSP audit (issue #7). Unit tests cannot run a WXT build, so this checks
 * what the build is made from: the manifest function in wxt.config.ts for both browsers and
 * the content scripts' match patterns. WXT adds background, side panel, options page and the
 * content_scripts entries from the entrypoints, and no permission or CSP of its own in a
 * production build (tests/e2e/specs/hostile.spec.mjs reads the built manifest too).
 */

const ROOT = resolve(__dirname, '../..');
type Manifest = Record<string, unknown> & { permissions?: string[]; host_permissions?: string[]; optional_host_permissions?: string[]; optional_permissions?: string[] };

function manifestFor(browser: 'chrome' | 'firefox'): Manifest {
  const m = config.manifest;
  const env = { browser, manifestVersion: browser === 'firefox' ? 2 : 3, mode: 'production', command: 'build' } as const;
  return (typeof m === 'function' ? (m as (e: typeof env) => Manifest)(env) : m) as Manifest;
}

/**
 * The audited list: every entry is in README's permissions table with why. Adding one means
 * adding it here and there, on purpose.
 */
const AUDITED: Record<'chrome' | 'firefox', string[]> = {
  chrome: ['storage', 'unlimitedStorage', 'alarms', 'notifications', 'sidePanel'],
  // Firefox accepts `identity` only as a required permission (it shows no prompt for it).
  firefox: ['storage', 'unlimitedStorage', 'alarms', 'notifications', 'identity'],
};
/** Asked for at the moment of use: Chrome's `identity`, with the CRM origins, at OAuth sign-in. */
const AUDITED_OPTIONAL_API: Record<'chrome' | 'firefox', string[]> = { chrome: ['identity'], firefox: [] };
const CRM_HOSTS = ['https://api.hubapi.com/*', 'https://api.pipedrive.com/*', 'https://*.pipedrive.com/*', 'https://*/*', 'http://127.0.0.1/*', 'http://localhost/*'];
const BROAD = ['<all_urls>', '*://*/*', 'http://*/*', 'https://*/*', 'file:///*'];

/** A CSP's script sources must be our own files only: no eval, no inline code, no remote hosts. */
function expectStrictCsp(csp: string): void {
  const script = /(?:^|;)\s*script-src\s+([^;]*)/.exec(csp)?.[1]?.trim().split(/\s+/) ?? [];
  expect(script, csp).toContain("'self'");
  for (const src of script) expect(["'self'", "'wasm-unsafe-eval'"], `script-src ${src} in ${csp}`).toContain(src);
  expect(csp).not.toMatch(/'unsafe-eval'|'unsafe-inline'|https?:|\*/);
}

describe.each(['chrome', 'firefox'] as const)('%s manifest', (browser) => {
  const m = manifestFor(browser);

  it('asks for exactly the audited permissions', () => {
    const apis = (m.permissions ?? []).filter((p) => !p.includes('://'));
    expect([...apis].sort()).toEqual([...AUDITED[browser]].sort());
    // Never the broad ones: tabs (every URL), scripting, webRequest, cookies, history, debugger.
    for (const p of ['tabs', 'scripting', 'webRequest', 'webRequestBlocking', 'cookies', 'history', 'debugger', 'management', 'clipboardRead', 'downloads']) {
      expect(apis).not.toContain(p);
    }
  });

  it('reads pages only on the mail and calendar hosts; no <all_urls> anywhere it is granted up front', () => {
    const granted = browser === 'chrome' ? (m.host_permissions ?? []) : (m.permissions ?? []).filter((p) => p.includes('://'));
    const hosts = browser === 'chrome' ? granted : [...granted, ...(m.host_permissions ?? [])];
    expect([...new Set(hosts)].sort()).toEqual([...MAIL_HOSTS].sort());
    for (const b of BROAD) expect(hosts).not.toContain(b);
  });

  it('CRM hosts are optional, asked for one at a time when a CRM is connected', () => {
    const optional = browser === 'chrome' ? (m.optional_host_permissions ?? []) : (m.optional_permissions ?? []).filter((p) => p.includes('://'));
    expect([...optional].sort()).toEqual([...CRM_HOSTS].sort());
    const optionalApis = [...(m.optional_permissions ?? [])].filter((p) => !p.includes('://'));
    expect(optionalApis.sort()).toEqual([...AUDITED_OPTIONAL_API[browser]].sort());
  });

  it('no remote code: the CSP, if set, allows only our own scripts; otherwise the strict browser default applies', () => {
    const csp = m.content_security_policy as string | { extension_pages?: string; sandbox?: string } | undefined;
    if (csp === undefined) {
      // MV3 default: script-src 'self' 'wasm-unsafe-eval'; object-src 'self'. MV2 (Firefox): script-src 'self'; object-src 'self'.
      expect(csp).toBeUndefined();
      return;
    }
    for (const v of typeof csp === 'string' ? [csp] : Object.values(csp)) if (v) expectStrictCsp(v);
  });

  it('web pages and other extensions have no door in: no externally_connectable, no web-accessible resources', () => {
    expect(m).not.toHaveProperty('externally_connectable');
    expect(m).not.toHaveProperty('web_accessible_resources');
    expect(m).not.toHaveProperty('content_scripts');
  });
});

describe('content scripts', () => {
  const scripts = { gmail: gmailScript, 'google-calendar': calendarScript, outlook: outlookScript };

  it.each(Object.entries(scripts))('%s matches only mail and calendar hosts, in the isolated world, top frame only', (_name, def) => {
    const d = def as { matches: string[]; world?: string; allFrames?: boolean; matchAboutBlank?: boolean };
    expect(d.matches.length).toBeGreaterThan(0);
    for (const p of d.matches) expect(MAIL_HOSTS).toContain(p);
    expect(d.world ?? 'ISOLATED').toBe('ISOLATED');
    expect(d.allFrames ?? false).toBe(false);
    expect(d.matchAboutBlank ?? false).toBe(false);
  });

  it('together they cover every mail host and nothing else', () => {
    const all = Object.values(scripts).flatMap((d) => (d as { matches: string[] }).matches);
    expect([...new Set(all)].sort()).toEqual([...MAIL_HOSTS].sort());
  });
});

describe('the built extension pages load no remote code', () => {
  it.each(['entrypoints/sidepanel/index.html', 'entrypoints/options/index.html'])('%s', (file) => {
    const html = readFileSync(resolve(ROOT, file), 'utf8');
    const srcs = [...html.matchAll(/<(?:script|link|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)/gi)].map((x) => x[1]!);
    for (const s of srcs) expect(s, `${file} loads ${s}`).toMatch(/^\.?\//);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/i); // no inline script bodies
  });
});

describe("README's permissions table", () => {
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  const table = /\*\*Permissions\*\*[\s\S]*?\n(\|[^\n]*\|\n)+/.exec(readme)?.[0] ?? '';
  const rows = table.split('\n').filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l) && !/^\|\s*permission\s*\|/i.test(l));
  const firstCells = rows.map((r) => r.split('|')[1] ?? '');
  const why = rows.map((r) => (r.split('|')[2] ?? '').trim());

  it('exists and gives a reason on every row', () => {
    expect(rows.length).toBeGreaterThan(3);
    for (const w of why) expect(w.length).toBeGreaterThan(10);
  });

  it('lists every permission either browser asks for, and nothing it does not', () => {
    const listed = new Set(firstCells.flatMap((c) => [...c.matchAll(/`([^`]+)`/g)].map((x) => x[1]!)));
    const apis = new Set<string>();
    for (const b of ['chrome', 'firefox'] as const) {
      const m = manifestFor(b);
      for (const p of [...(m.permissions ?? []), ...(m.optional_permissions ?? [])]) if (!p.includes('://')) apis.add(p);
    }
    for (const p of apis) expect(listed, `README lacks a row for ${p}`).toContain(p);
    const hostsCell = firstCells.join(' ');
    for (const h of [...MAIL_HOSTS, ...CRM_HOSTS]) {
      const host = /^[a-z]+:\/\/([^/]+)\//.exec(h)![1]!;
      if (host === '*') expect(hostsCell).toMatch(/any `https:\/\/` origin/);
      else if (host === '127.0.0.1' || host === 'localhost') expect(hostsCell).toMatch(/loopback/);
      else expect(hostsCell, `README lacks host ${host}`).toContain(host);
    }
    // No stale rows: each backticked API name in the first column is asked for by some browser.
    for (const name of listed) if (/^[a-zA-Z]+$/.test(name)) expect(apis, `README lists ${name}, which no manifest asks for`).toContain(name);
  });
});
