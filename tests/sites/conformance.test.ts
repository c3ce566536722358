import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITES } from '@/lib/sites';

const repo = join(dirname(decodeURIComponent(new globalThis.URL(import.meta.url).pathname)), '../..');
const read = (p: string) => readFileSync(join(repo, p), 'utf8');

describe('every registered site is complete', () => {
  for (const { id } of SITES) {
    it(`${id}: folder, dated selectors, fixtures, and an exact-output test per fixture`, () => {
      const selectors = read(`lib/sites/${id}/selectors.ts`);
      // Each selector string literal line carries a date or says it is a guess/fallback.
      for (const line of selectors.split('\n').filter((l) => /^\s*'[^']*',?\s*(\/\/.*)?$/.test(l) || /^export const \w+ = '/.test(l))) {
        expect(line, `${id}/selectors.ts: ${line.trim()}`).toMatch(/seen \d{4}-\d{2}|source:? |GUESS|fallback|\/\/ inside|^export const \w+ = '[^']*';\s*$/);
      }
      const dir = join(repo, 'tests/fixtures/sites', id);
      expect(existsSync(dir)).toBe(true);
      const fixtures = readdirSync(dir).filter((f) => f.endsWith('.html'));
      expect(fixtures.length).toBeGreaterThan(0);
      const suite = read('tests/sites/fixtures.test.ts');
      for (const f of fixtures) {
        expect(f).toMatch(/^\d{4}-\d{2}-[a-z0-9-]+\.html$/);
        expect(suite, `${id}/${f} has no exact-output case`).toContain(`'${id}/${f}'`);
      }
    });
  }

  it('content-script code stays free of zod, Dexie, React and extension APIs', () => {
    const files = (d: string): string[] =>
      readdirSync(join(repo, d), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(`${d}/${e.name}`) : e.name.endsWith('.ts') ? [`${d}/${e.name}`] : []));
    for (const f of files('lib/sites')) {
      const src = read(f);
      expect(src, f).not.toMatch(/from ['"](zod|dexie|react|wxt\/browser|webextension-polyfill)['"]|from ['"]@\/lib\/(db|sync|capture|messaging)/);
      expect(src, f).not.toMatch(/^import (?!type )[^;]*from ['"]@\/lib\/model/m);
      expect(src, f).not.toMatch(/\b(chrome|browser)\.(runtime|storage|tabs)\b/);
    }
  });
});
