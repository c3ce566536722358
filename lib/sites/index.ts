import type { PageContext } from '@/lib/model';
import { gmail } from './gmail';
import { googleCalendar } from './google-calendar';
import { outlook } from './outlook';
import { outlookCalendar } from './outlook-calendar';
import type { SiteDetector } from './types';

/** The site registry: adding a site is one folder plus one line here. */
export const SITES: readonly SiteDetector[] = [gmail, outlook, outlookCalendar, googleCalendar];

/** Runs the first detector whose URL rule matches. Never throws: garbage in, null out. */
export function detectWith(sites: readonly SiteDetector[], url: string, doc: Document): PageContext | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  for (const site of sites) {
    try {
      if (!site.matchesUrl(u)) continue;
      return site.detect(u, doc);
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The detection contract: what the page shows, or null. Stable signature; tests outside the
 * site folders rely on it. Content scripts stay free of zod to stay small; the background
 * parses every context it receives, and the detector tests parse every fixture's output.
 * A content script for one site may call `detectWith([gmail], …)` to ship only that detector.
 */
export function detectPage(url: string, doc: Document): PageContext | null {
  return detectWith(SITES, url, doc);
}

export type { SiteDetector } from './types';
