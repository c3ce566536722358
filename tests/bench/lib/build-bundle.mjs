import { gzipSync } from 'node:zlib';
import { isAbsolute, resolve } from 'node:path';
import { build } from 'vite';

/**
 * A production library build of one TS entry in this repo, with the project's '@/' alias, as
 * a single ES module: what a bench page loads, and an honest size for the code it measures.
 */
export async function buildBundle(root, entryFile, { minify = true, define = {} } = {}) {
  const entry = isAbsolute(entryFile) ? entryFile : resolve(root, entryFile);
  const out = await build({
    configFile: false,
    root,
    logLevel: 'error',
    resolve: { alias: [{ find: /^@\//, replacement: `${root}/` }] },
    define: { 'process.env.NODE_ENV': JSON.stringify('production'), ...define },
    build: {
      write: false,
      minify,
      emptyOutDir: false,
      copyPublicDir: false,
      lib: { entry, formats: ['es'], fileName: 'bundle' },
      rolldownOptions: { output: { codeSplitting: false } },
    },
  });
  const outputs = (Array.isArray(out) ? out : [out]).flatMap((o) => o.output);
  const chunks = outputs.filter((o) => o.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`buildBundle(${entryFile}) produced ${chunks.length} chunks; expected one.`);
  const code = chunks[0].code;
  return { code, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).length };
}
