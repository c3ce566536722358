import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Page text is rendered as text, never as HTML, and no code is made from strings: a
 * source-level ban over everything that ships (lib/, components/, entrypoints/). The content
 * scripts' own walk (tests/inpage/walls.test.ts) covers their import graph; this covers the
 * extension pages and the background as well, and more sinks.
 */

const ROOT = resolve(__dirname, '../..');
const DIRS = ['lib', 'components', 'entrypoints'];

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx|mts|js|mjs|html)$/.test(name)) out.push(p);
  }
  return out;
}

/** Comments may name the sinks (to say we avoid them); only code counts. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1').replace(/<!--[\s\S]*?-->/g, '');
}

const SINKS: [string, RegExp][] = [
  ['innerHTML', /\.innerHTML\b/],
  ['outerHTML', /\.outerHTML\s*=/],
  ['insertAdjacentHTML', /insertAdjacentHTML/],
  ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
  ['document.write', /document\.write(?:ln)?\s*\(/],
  ['DOMParser (HTML from strings)', /new\s+DOMParser\b/],
  ['createContextualFragment', /createContextualFragment/],
  ['srcdoc', /\bsrcdoc\b/i],
  ['eval(', /(?<![\w.$])eval\s*\(/],
  ['new Function', /new\s+Function\s*\(/],
  ['setTimeout/setInterval with a string', /set(?:Timeout|Interval)\s*\(\s*['"`]/],
  ['an inline event handler attribute', /setAttribute\(\s*['"`]on[a-z]+['"`]/i],
  ['a javascript: URL', /['"`]javascript:/i],
  ['remote script import', /import\s*\(\s*['"`]https?:/],
  ['remote script tag', /<script[^>]+src\s*=\s*["']https?:/i],
];

const all = DIRS.flatMap((d) => files(join(ROOT, d)));

describe('no HTML or code from strings in shipped code', () => {
  it('scans a real tree', () => {
    expect(all.length).toBeGreaterThan(50);
    expect(all.some((f) => f.endsWith('lib/inpage/dom.ts'))).toBe(true);
    expect(all.some((f) => f.endsWith('.tsx'))).toBe(true);
  });

  it.each(SINKS)('none uses %s', (_what, re) => {
    const hits = all.filter((f) => re.test(code(readFileSync(f, 'utf8')))).map((f) => relative(ROOT, f));
    expect(hits).toEqual([]);
  });

  it('the comment stripper does not hide code', () => {
    expect(code('a.innerHTML = x; // fine')).toMatch(SINKS[0]![1]);
    expect(code("const u = 'https://x.org'; el.innerHTML = u;")).toMatch(SINKS[0]![1]);
    expect(code('/* innerHTML */ ok()')).not.toMatch(SINKS[0]![1]);
  });
});

describe('no eval probes under the CSP', () => {
  // Zod 4 tries `new Function` to compile parsers unless told not to; under our CSP that try is
  // blocked and reported as a violation. lib/model/zod-config.ts turns it off, and must run
  // before any schema is built, so it is each zod-using entrypoint's first import.
  it.each(['entrypoints/background.ts', 'entrypoints/sidepanel/main.tsx', 'entrypoints/options/main.tsx'])('%s imports zod-config first', (file) => {
    const first = /^\s*import\s+(?:[^'"]*from\s+)?['"]([^'"]+)['"]/m.exec(code(readFileSync(join(ROOT, file), 'utf8')))?.[1];
    expect(first).toBe('@/lib/model/zod-config');
  });

  it('zod-config sets jitless', () => {
    expect(readFileSync(join(ROOT, 'lib/model/zod-config.ts'), 'utf8')).toMatch(/z\.config\(\{\s*jitless:\s*true\s*\}\)/);
  });
});
