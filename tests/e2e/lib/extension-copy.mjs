import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A copy of the built extension whose manifest moves the given origins from
 * `optional_host_permissions` to `host_permissions`; every other byte is the build's.
 *
 * Why: connecting a CRM calls `permissions.request` for its API host, and for an origin not yet
 * granted Chromium shows a prompt that headless automation cannot answer. For an origin the
 * extension already holds, `permissions.request` resolves `true` without a prompt, so the product
 * code runs its real path (the click, the request, the answer) with no test hook in the build.
 * Each origin must be an optional host permission of the build, so a manifest that stops asking
 * for it fails here instead of passing silently.
 */
export function extensionGranting(extDir, origins, dest) {
  const manifest = JSON.parse(readFileSync(join(extDir, 'manifest.json'), 'utf8'));
  const optional = manifest.optional_host_permissions ?? [];
  const missing = origins.filter((o) => !optional.includes(o));
  if (missing.length) throw new Error(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the build's optional_host_permissions (${optional.join(', ') || 'none'}).`);
  cpSync(extDir, dest, { recursive: true });
  manifest.optional_host_permissions = optional.filter((o) => !origins.includes(o));
  manifest.host_permissions = [...(manifest.host_permissions ?? []), ...origins];
  writeFileSync(join(dest, 'manifest.json'), JSON.stringify(manifest));
  return dest;
}
