import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { minifySync } from 'rolldown/utils';

export const title = 'Content scripts: size, minified and gzipped';

const BUDGET_BYTES = 25 * 1024;
const DETECTORS = [
  ['gmail', 'lib/sites/gmail/index.ts'],
  ['outlook', 'lib/sites/outlook/index.ts'],
  ['outlook-calendar', 'lib/sites/outlook-calendar/index.ts'],
  ['google-calendar', 'lib/sites/google-calendar/index.ts'],
  ['all four (`detectPage`)', 'lib/sites/index.ts'],
];

const kb = (n) => n / 1024;

/**
 * Builds the extension with WXT's production build into a private directory (others may be
 * rebuilding .output at the same time), then measures each file in content-scripts/.
 */
async function buildExtension(root) {
  const outDir = mkdtempSync(join(tmpdir(), 'threadline-size-'));
  const { build } = await import('wxt');
  const quiet = () => {};
  const logger = { level: 1, debug: quiet, log: quiet, info: quiet, warn: quiet, success: quiet, error: console.error, fatal: console.error };
  await build({ root, outDir, logger });
  return outDir;
}

export default async function (b) {
  const outDir = await buildExtension(b.root);
  const rows = [];
  try {
    const dir = join(outDir, 'chrome-mv3', 'content-scripts');
    const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
    if (!files.length) throw new Error(`no content scripts in ${dir}`);
    for (const f of files) {
      const code = readFileSync(join(dir, f));
      const bytes = code.length;
      const gz = gzipSync(code).length;
      rows.push({
        name: `content script \`${f}\` (as shipped)`,
        median: kb(bytes),
        unit: 'KB min',
        runs: 1,
        budget: '≤ 25 KB min',
        note: `${kb(gz).toFixed(1)} KB gzip; ${bytes <= BUDGET_BYTES ? 'within budget' : 'OVER BUDGET'}`,
      });
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  // What detection alone adds to a content script, per site (its share of the budget).
  for (const [name, entry] of DETECTORS) {
    const built = await b.buildBundle(entry);
    const min = minifySync('bundle.js', built.code, { compress: true, mangle: true }).code;
    rows.push({ name: `detector only: ${name}`, median: kb(Buffer.byteLength(min)), unit: 'KB min', runs: 1, note: `${kb(gzipSync(min).length).toFixed(1)} KB gzip` });
  }
  return {
    method: [
      "The suite runs WXT's production build (`wxt build`, Chrome MV3) into a private temporary directory and measures every file in",
      '`chrome-mv3/content-scripts/`: bytes as shipped (WXT minifies them) and gzip -9 bytes (Node zlib). Budget: 25 KB (25,600 bytes) minified each.',
      'Below them, the site detectors alone (`lib/sites/<site>/index.ts`, and the full registry), each built as one ES bundle with Vite and then',
      'fully minified with oxc, to show what detection costs inside that budget. KB = 1,024 bytes. One build, so one run.',
    ].join('\n'),
    rows,
  };
}
