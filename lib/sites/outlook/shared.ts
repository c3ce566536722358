import { findEmails } from '../address';
import { $$ } from '../dom';
import { OWA_HOSTS, SELF } from './selectors';

export function isOwaHost(url: URL): boolean {
  return OWA_HOSTS.includes(url.hostname);
}

/** The signed-in mailbox's address: folder-pane root (`data-folder-name`/`title`) or the account menu. */
export function owaSelf(doc: Document): string[] {
  const out: string[] = [];
  for (const sel of SELF) {
    for (const el of $$(doc, sel)) {
      for (const v of [el.getAttribute('data-folder-name'), el.getAttribute('title'), el.getAttribute('aria-label'), sel.startsWith('#mectrl') ? el.textContent : null]) {
        for (const e of findEmails(v)) if (!out.includes(e)) out.push(e);
      }
    }
  }
  return out;
}

export function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
