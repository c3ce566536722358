import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { detectPage } from '@/lib/sites';
import { send } from '@/lib/messaging/client';
import type { PageContext } from '@/lib/model';

const DEBOUNCE_MS = 1000;

/**
 * Runs detection on a debounced observer plus hashchange/popstate, and reports each change
 * to the background. Everything is tied to WXT's context, so an extension reload leaves
 * nothing running on the page.
 */
export function watchPage(ctx: ContentScriptContext, onContext: (c: PageContext | null) => void): void {
  let last = '';
  let timer: number | undefined;
  const run = () => {
    timer = undefined;
    const c = detectPage(location.href, document);
    const sig = c ? JSON.stringify(c) : 'null';
    if (sig === last) return;
    last = sig;
    onContext(c);
    void send('pageContext', { context: c }).catch(() => undefined);
  };
  const schedule = () => {
    if (timer === undefined) timer = ctx.setTimeout(run, DEBOUNCE_MS);
  };
  const observer = new MutationObserver(schedule);
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-legacy-thread-id', 'data-convid', 'data-eventid', 'aria-selected'] });
  ctx.onInvalidated(() => observer.disconnect());
  ctx.addEventListener(window, 'hashchange', schedule);
  ctx.addEventListener(window, 'popstate', schedule);
  run();
}
