import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { send } from '@/lib/messaging/client';
import { detectWith, type SiteDetector } from '@/lib/sites';
import type { SiteUi } from './anchors';
import { createApp, type InPageApp } from './app';
import { watchPage } from './controller';
import { readTabEvent } from './tab-events';

/**
 * The whole content-script runtime: detection on page changes, the in-page UI, reports to the
 * background and the background's pushes. Each entry point passes only its own sites, so a
 * script ships just the detectors it needs; the first detector whose URL rule matches wins.
 */
export function mountSite(ctx: ContentScriptContext, sites: SiteDetector[], uis: SiteUi[]): InPageApp {
  const app = createApp({ doc: document, uis, send, setTimeout: (fn, ms) => ctx.setTimeout(fn, ms) });
  const onMessage = (msg: unknown) => {
    const e = readTabEvent(msg);
    if (e) app.onTabEvent(e);
  };
  browser.runtime.onMessage.addListener(onMessage);
  ctx.onInvalidated(() => {
    browser.runtime.onMessage.removeListener(onMessage);
    app.button.host.remove();
  });
  watchPage(ctx, {
    detect: (url, doc) => detectWith(sites, url, doc),
    render: app.render,
    report: (context) => void send('pageContext', { context }).catch(() => undefined),
  });
  return app;
}
