#!/usr/bin/env node
/**
 * `npm run lint:firefox [-- path]`: Mozilla's addons-linter on the Firefox build, the check
 * addons.mozilla.org runs on upload. Lints the Firefox zip when `npm run zip` made one, else
 * .output/firefox-mv2. Fails on any error; warnings are listed and counted, not fatal.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function defaultTarget() {
  const out = join(root, '.output');
  const zips = existsSync(out) ? readdirSync(out).filter((f) => /-firefox\.zip$/.test(f) && !f.includes('sources')) : [];
  if (zips.length) return join(out, zips.sort().at(-1));
  return join(out, 'firefox-mv2');
}

const target = resolve(process.argv[2] ?? defaultTarget());
if (!existsSync(target)) {
  console.error(`Nothing to lint at ${relative(root, target)}: run npm run build:firefox (or npm run zip) first.`);
  process.exit(1);
}

const bin = join(dirname(createRequire(import.meta.url).resolve('addons-linter/package.json')), 'bin', 'addons-linter');
const run = spawnSync(process.execPath, [bin, '--output', 'json', '--boring', target], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`addons-linter did not produce JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  process.exit(1);
}

const line = (m) => `  ${m.code}: ${m.message}${m.file ? ` (${m.file}${m.line ? `:${m.line}` : ''})` : ''}`;
const { errors = 0, warnings = 0, notices = 0 } = report.summary ?? {};
console.log(`addons-linter on ${relative(root, target)}: ${errors} errors, ${warnings} warnings, ${notices} notices`);
for (const m of report.errors ?? []) console.log(line(m));
if (warnings) {
  const byCode = new Map();
  for (const m of report.warnings ?? []) byCode.set(m.code, [...(byCode.get(m.code) ?? []), m]);
  for (const [code, ms] of byCode) console.log(`  warning ${code} ×${ms.length}: ${ms[0].message}${ms[0].file ? ` (first in ${ms[0].file})` : ''}`);
}
process.exit(errors > 0 ? 1 : 0);
