import { vi } from 'vitest';

/**
 * Our hosts use closed shadow roots so the page cannot read them; tests open them to look in.
 * Call in beforeEach; vitest restores the spy.
 */
const ORIGINAL = Element.prototype.attachShadow;

export function openShadowRoots(): void {
  vi.restoreAllMocks();
  const orig = ORIGINAL;
  vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
    return orig.call(this, { ...init, mode: 'open' });
  });
}

export function shadowOf(host: Element | null | undefined): ShadowRoot {
  if (!host?.shadowRoot) throw new Error('no shadow root');
  return host.shadowRoot;
}

export const flush = async (n = 5) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};
