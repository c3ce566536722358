import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// happy-dom replaces the global URL, so the path is built from the module's own location string.
const dir = join(dirname(decodeURIComponent(new globalThis.URL(import.meta.url).pathname)), '../fixtures/sites');

export function fixtureText(path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

/** A fixture as its own Document, as a content script would see the page. */
export function loadFixture(path: string): Document {
  return new DOMParser().parseFromString(fixtureText(path), 'text/html');
}
