import type { PageContext } from '@/lib/model';
import { gmail } from './gmail';
import type { SiteDetector } from './types';

/** The site registry: adding a site is one folder plus one line here. */
export const SITES: readonly SiteDetector[] = [gmail];

/**
 * The detection contract: what the page shows, or null. Stable signature; tests outside the
 * site folders rely on it. Content scripts stay free of zod to stay small; the background
 * parses every context it receives, and the detector tests parse every fixture's output.
 */
export function detectPage(url: string, doc: Document): PageContext | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  for (const site of SITES) {
    if (!site.matchesUrl(u)) continue;
    try {
      return site.detect(u, doc);
    } catch {
      return null;
    }
  }
  return null;
}

export type { SiteDetector } from './types';
