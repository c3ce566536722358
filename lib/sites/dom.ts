/** Small DOM helpers shared by the site detectors. Pure reads; nothing here touches the page. */

export function $(root: ParentNode, sel: string): Element | null {
  return root.querySelector(sel);
}

export function $$(root: ParentNode, sel: string): Element[] {
  return Array.from(root.querySelectorAll(sel));
}

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;

/**
 * Hidden by the page itself. Gmail and the calendars keep old views in the DOM and hide them
 * with inline styles or `hidden`, so this reads attributes only: it works without layout
 * (happy-dom), costs no style recalculation in a real page, and stops at `stop`.
 */
export function isHidden(el: Element, stop?: Element | null): boolean {
  for (let n: Element | null = el; n && n !== stop; n = n.parentElement) {
    if (n.hasAttribute('hidden')) return true;
    const st = n.getAttribute('style');
    if (st && HIDDEN_STYLE.test(st)) return true;
  }
  return false;
}

/** Inside (or hidden by) an ancestor matching `sel`, looking no further up than `stop`. */
export function blockedBy(el: Element, sel: string, stop: Element): boolean {
  for (let n: Element | null = el; n && n !== stop; n = n.parentElement) {
    if (n.hasAttribute('hidden') || n.matches(sel)) return true;
    const st = n.getAttribute('style');
    if (st && HIDDEN_STYLE.test(st)) return true;
  }
  return false;
}

/** The first element, trying selectors in order (newest layout first), that is not hidden. */
export function firstVisible(root: ParentNode, sels: readonly string[], stop?: Element | null): Element | null {
  for (const sel of sels) {
    for (const el of root.querySelectorAll(sel)) if (!isHidden(el, stop)) return el;
  }
  return null;
}

/** Every match of any selector, once each, in selector order, skipping hidden ones. */
export function allVisible(root: ParentNode, sels: readonly string[], stop?: Element | null): Element[] {
  const out: Element[] = [];
  for (const sel of sels) for (const el of root.querySelectorAll(sel)) if (!out.includes(el) && !isHidden(el, stop)) out.push(el);
  return out;
}

/** Text with emoji images turned back into characters (`data-emoji`, else `alt`). */
export function richText(el: Element | null | undefined): string {
  if (!el) return '';
  let out = '';
  const walk = (n: Node) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) out += c.nodeValue ?? '';
      else if (c.nodeType === 1) {
        const e = c as Element;
        if (e.tagName === 'IMG') out += e.getAttribute('data-emoji') || e.getAttribute('alt') || '';
        else if (e.tagName !== 'SCRIPT' && e.tagName !== 'STYLE') walk(e);
      }
    }
  };
  walk(el);
  return out.replace(/[\u200b-\u200f\u202a-\u202e\ufeff]/g, '').replace(/\s+/g, ' ').trim();
}

/** Elements whose edges separate words in the text a reader sees. */
const BREAKS = new Set(['P', 'DIV', 'BR', 'LI', 'TR', ...'0123456789'.split('').map((d) => `H${d}`)]);

/**
 * Leading text of a body, skipping quoted replies and signatures, up to `max` characters.
 * Stops walking early so a long thread costs little.
 */
export function leadingText(el: Element | null | undefined, skip: string, max: number): string | undefined {
  if (!el) return undefined;
  let out = '';
  const walk = (n: Node): boolean => {
    // Each DOM property read crosses into the browser: read each once.
    for (let c = n.firstChild; c; c = c.nextSibling) {
      const type = c.nodeType;
      if (type === 3) {
        out += c.nodeValue ?? '';
        if (out.length > max * 2) return true;
      } else if (type === 1) {
        const e = c as Element;
        const tag = e.tagName;
        if (tag === 'SCRIPT' || tag === 'STYLE' || e.matches(skip)) continue;
        if (BREAKS.has(tag)) out += ' ';
        if (walk(e)) return true;
      }
    }
    return false;
  };
  walk(el);
  const t = out.replace(/\s+/g, ' ').trim();
  if (!t) return undefined;
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

/** A short stable hash (FNV-1a) for ids a site does not expose. */
export function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
