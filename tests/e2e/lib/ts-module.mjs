import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';

/**
 * Imports a TypeScript module of this repo (e.g. a fake CRM under tests/fakes) into the runner's
 * Node process: one Vite SSR build with the '@/' alias, Node's own modules left external.
 */
export async function importTs(root, entry) {
  const out = await build({
    configFile: false,
    root,
    logLevel: 'error',
    resolve: { alias: [{ find: /^@\//, replacement: `${root}/` }] },
    ssr: { noExternal: true },
    build: { ssr: resolve(root, entry), write: false, minify: false, emptyOutDir: false, copyPublicDir: false, rolldownOptions: { output: { codeSplitting: false } } },
  });
  const chunk = (Array.isArray(out) ? out : [out]).flatMap((o) => o.output).find((o) => o.type === 'chunk');
  if (!chunk) throw new Error(`Building ${entry} produced no module.`);
  const dir = mkdtempSync(join(tmpdir(), 'threadline-ts-'));
  try {
    const file = join(dir, 'module.mjs');
    writeFileSync(file, chunk.code);
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
