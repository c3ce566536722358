import type { PageContext, SiteId } from '@/lib/model';

/** One site's detector. Pure: no browser APIs, no side effects, so fixtures test it directly. */
export interface SiteDetector {
  id: SiteId;
  /** Does this URL belong to the site at all (cheap, checked first). */
  matchesUrl(url: URL): boolean;
  /** What the page shows now, or null when nothing is loggable. Never throws. */
  detect(url: URL, doc: Document): PageContext | null;
}
