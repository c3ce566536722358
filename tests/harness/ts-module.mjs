import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';

/**
 * Builds a TypeScript module of this repo (e.g. a fake CRM under tests/fakes) for Node: one Vite
 * SSR build with the '@/' alias, Node's own modules left external, written as `<dir>/<name>.mjs`.
 */
export async function buildTsForNode(root, entry, dir) {
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
  const file = join(dir, `${basename(entry).replace(/\.ts$/, '')}.mjs`);
  writeFileSync(file, chunk.code);
  return file;
}

/** The same build, imported into this process (the e2e runner's fakes). */
export async function importTs(root, entry) {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-ts-'));
  try {
    return await import(pathToFileURL(await buildTsForNode(root, entry, dir)).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
