import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { PageContext } from '@/lib/model';
import { isOurs } from './dom';

/** At most one detection run per second, however much the page churns. */
export const DETECT_INTERVAL_MS = 1000;

/** Attribute changes that mean "another thread or event is showing" without a child change. */
const WATCHED_ATTRIBUTES = ['data-legacy-thread-id', 'data-thread-perm-id', 'data-convid', 'data-eventid', 'aria-selected', 'data-initial-value'];

export interface WatchOptions {
  detect: (url: string, doc: Document) => PageContext | null;
  /** Mounts or updates the in-page UI; returns the context to report (with `inPageUi` set). */
  render: (c: PageContext | null) => PageContext | null;
  report: (c: PageContext | null) => void;
  doc?: Document;
  win?: Window;
}

/** Mutations made only by our own hosts (button, chips, preview) must not wake detection. */
function ownRecord(r: MutationRecord): boolean {
  if (r.type !== 'childList') return isOurs(r.target);
  const nodes = [...r.addedNodes, ...r.removedNodes];
  return nodes.length > 0 && nodes.every(isOurs);
}

/**
 * Runs detection on a throttled observer of a stable root (the body) plus hashchange/popstate,
 * and reports each change. Everything hangs off WXT's context, so an extension reload or
 * update leaves no observer, listener or timer behind on the page.
 */
export function watchPage(ctx: ContentScriptContext, o: WatchOptions): { runNow: () => void } {
  const doc = o.doc ?? document;
  const win = o.win ?? window;
  let last: string | undefined;
  let timer: number | undefined;

  const run = () => {
    timer = undefined;
    if (ctx.isInvalid) return;
    const out = o.render(o.detect(win.location.href, doc));
    const sig = out ? JSON.stringify(out) : 'null';
    if (sig === last) return;
    last = sig;
    o.report(out);
  };
  const schedule = () => {
    if (timer === undefined) timer = ctx.setTimeout(run, DETECT_INTERVAL_MS);
  };

  const observer = new MutationObserver((records) => {
    // Cheapest path first: while a run is pending there is nothing to decide.
    if (timer !== undefined || records.every(ownRecord)) return;
    schedule();
  });
  observer.observe(doc.body, { childList: true, subtree: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
  ctx.onInvalidated(() => observer.disconnect());
  ctx.addEventListener(win, 'hashchange', schedule);
  ctx.addEventListener(win, 'popstate', schedule);
  run();
  return { runNow: run };
}
