// Bench entry: InboxSDK's core, the way an extension bundles it into a content script.
import * as InboxSDK from '@inboxsdk/core';

/**
 * `load` resolves only inside real Gmail (it needs Gmail's page globals and its page-world
 * script); elsewhere it rejects or never settles, so the caller bounds it with a timeout.
 */
export function init(timeoutMs: number): Promise<string> {
  const load = InboxSDK.load(2, 'sdk_threadline_bench_0').then(
    () => 'loaded',
    (e: unknown) => `rejected: ${String((e as Error)?.message ?? e).slice(0, 120)}`,
  );
  return Promise.race([load, new Promise<string>((r) => setTimeout(() => r(`no answer after ${timeoutMs} ms`), timeoutMs))]);
}
