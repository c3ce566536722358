/**
 * Plain-DOM building blocks for the in-page UI. Everything page-derived goes in as text
 * (textContent), never as markup: subjects and names come from the page and may carry HTML.
 */

type Attrs = Record<string, string | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c) el.append(typeof c === 'string' ? doc.createTextNode(c) : c);
  return el;
}

/** Marks our hosts so the observer can ignore the mutations we cause ourselves. */
export const HOST_ATTR = 'data-threadline';

export interface Host {
  host: HTMLElement;
  root: ShadowRoot;
}

/**
 * A host element with a closed shadow root: the page's CSS cannot reach in, ours cannot leak
 * out, and the page's scripts cannot read the CRM data (stages, receipts) shown inside.
 */
export function createHost(doc: Document, tag: string, css: string, kind: string): Host {
  const host = doc.createElement(tag);
  host.setAttribute(HOST_ATTR, kind);
  const root = host.attachShadow({ mode: 'closed' });
  // Keys pressed on our buttons must not reach the site's shortcuts (Gmail archives on "e").
  for (const t of ['keydown', 'keyup', 'keypress']) root.addEventListener(t, (e) => e.stopPropagation());
  const style = doc.createElement('style');
  style.textContent = css;
  root.append(style);
  return { host, root };
}

export function isOurs(n: Node): boolean {
  return n.nodeType === 1 && (n as Element).hasAttribute(HOST_ATTR);
}
