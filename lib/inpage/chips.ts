import type { KnownPerson } from '@/lib/messaging/protocol';
import { createHost } from './dom';
import { CHIP_CSS } from './styles';

const MAX_CHIPS = 100;
const STAGE: Record<string, string> = { mql: 'MQL', sql: 'SQL', other: 'Contact' };

export function chipText(p: KnownPerson): string {
  const s = p.stage;
  return p.dealStage ?? (s ? STAGE[s] ?? s[0]!.toUpperCase() + s.slice(1) : 'Contact');
}

/**
 * Stage chips beside each place the page shows a known person. Idempotent: running it again
 * after the site re-rendered adds chips only where they went missing.
 */
export function createChips(doc: Document): (known: KnownPerson[], find: (email: string) => Element[]) => number {
  const placed = new WeakMap<Element, { host: HTMLElement; label: HTMLElement }>();
  return (known, find) => {
    let n = 0;
    for (const p of known) {
      const text = chipText(p);
      for (const el of find(p.email)) {
        if (n++ >= MAX_CHIPS) return MAX_CHIPS;
        let chip = placed.get(el);
        if (!chip || el.nextSibling !== chip.host) {
          chip?.host.remove();
          const { host, root } = createHost(doc, 'threadline-chip', CHIP_CSS, 'chip');
          chip = { host, label: root.appendChild(doc.createElement('span')) };
          el.after(host);
          placed.set(el, chip);
        }
        if (chip.label.textContent !== text) {
          chip.label.textContent = text;
          chip.label.title = `Threadline: ${p.name ?? p.email}`;
        }
      }
    }
    return n;
  };
}
