import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { watchPage } from './controller';

export function mountSite(ctx: ContentScriptContext): void {
  watchPage(ctx, () => undefined);
}
