import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const ENTRIES = ['entrypoints/gmail.content.ts', 'entrypoints/outlook.content.ts', 'entrypoints/google-calendar.content.ts'];

/** What a content script must never pull in: it runs in the page, within a 25 KB budget. */
const FORBIDDEN = [/^zod/, /^dexie/, /^react/, /^webextension-polyfill/, /^@\/lib\/db/, /^@\/lib\/sync/, /^@\/components/];

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function resolveFile(spec: string, from: string): string | null {
  const base = spec.startsWith('@/') ? resolve(ROOT, spec.slice(2)) : spec.startsWith('.') ? resolve(dirname(from), spec) : null;
  if (!base) return null;
  for (const f of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, base]) if (existsSync(f) && f.match(/\.tsx?$/)) return f;
  return null;
}

/** Every module a content script loads at run time (type-only imports are erased and skipped). */
function graph(entry: string): { files: Set<string>; specs: Set<string> } {
  const files = new Set<string>();
  const specs = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (m[1]) continue;
      const spec = m[2]!;
      specs.add(spec);
      const next = resolveFile(spec, file);
      if (next) visit(next);
    }
  };
  visit(resolve(ROOT, entry));
  return { files, specs };
}

describe.each(ENTRIES)('%s', (entry) => {
  const { files, specs } = graph(entry);

  it('never imports zod, Dexie, React, the polyfill, the store, sync or components', () => {
    expect([...specs].filter((s) => FORBIDDEN.some((f) => f.test(s)))).toEqual([]);
    // The walk really reaches the runtime, the messaging client and the detectors.
    expect([...files].map((f) => f.slice(ROOT.length + 1))).toEqual(expect.arrayContaining(['lib/inpage/app.ts', 'lib/messaging/client.ts', 'lib/sites/dom.ts']));
  });

  it('stays a thin entry point over the shared runtime', () => {
    const text = readFileSync(resolve(ROOT, entry), 'utf8');
    expect(text.trim().split('\n').length).toBeLessThanOrEqual(10);
    expect(text).toContain("from '@/lib/inpage'");
    expect(files.size).toBeGreaterThan(3);
  });

  it('renders page text without innerHTML anywhere in its code', () => {
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/\.innerHTML\s*=|insertAdjacentHTML|outerHTML\s*=/);
  });
});
