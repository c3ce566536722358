import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// happy-dom rewrites import.meta.url, so fixtures resolve from the repo root vitest runs in.
export function fixture(name: string): string {
  return readFileSync(resolve(process.cwd(), 'tests/fixtures/import', name), 'utf8');
}
