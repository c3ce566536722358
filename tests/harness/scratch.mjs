import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away directory; `remove()` is safe to call twice. */
export function scratchDir(prefix = 'threadline-') {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    remove() {
      // A browser that just exited may still be flushing its profile: retry, never throw.
      try {
        rmSync(path, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (e) {
        console.warn(`Could not remove ${path}: ${e.message}`);
      }
    },
  };
}
