import type { CapturePreview } from '@/lib/messaging/protocol';
import { createHost, h } from './dom';
import { DIALOG_CSS } from './styles';

const show = (k: string, v: unknown) => `${k}: ${k === 'occurredAt' ? new Date(v as number).toLocaleString() : Array.isArray(v) ? v.join(', ') : String(v).slice(0, 400)}`;

/**
 * The first-run preview: exactly what the log will store, field by field, as plain text.
 * Resolves true on Confirm, false on Cancel or Escape.
 */
export function showPreview(doc: Document, p: CapturePreview): { host: HTMLElement; root: ShadowRoot; done: Promise<boolean> } {
  const { host, root } = createHost(doc, 'threadline-preview', DIALOG_CSS, 'preview');
  const ok = h(doc, 'button', { type: 'button', class: 'ok' }, 'Confirm and log');
  const cancel = h(doc, 'button', { type: 'button' }, 'Cancel');
  const dlg = h(
    doc,
    'div',
    { class: 'dlg', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'What Threadline will store' },
    h(doc, 'h2', {}, 'What Threadline will store'),
    h(doc, 'p', {}, `Privacy level: ${p.privacy} (change it in the options). It stays in this browser unless you connect a CRM.`),
    h(doc, 'p', {}, `New contacts: ${p.contactsToCreate.join(', ') || 'none'}`),
    p.skipped.length > 0 && h(doc, 'p', {}, `Not logged: ${p.skipped.map((s) => `${s.email} (${s.reason})`).join(', ')}`),
    h(doc, 'p', {}, `${p.activities.length} new activities:`),
    h(doc, 'ul', {}, ...p.activities.map((a) => h(doc, 'li', {}, ...Object.entries(a).map(([k, v]) => v !== undefined && h(doc, 'div', { class: 'q' }, show(k, v)))))),
    h(doc, 'div', { class: 'acts' }, cancel, ok),
  );
  root.append(h(doc, 'div', { class: 'back' }, dlg));
  const done = new Promise<boolean>((resolve) => {
    const close = (v: boolean) => {
      host.remove();
      resolve(v);
    };
    ok.onclick = () => close(true);
    cancel.onclick = () => close(false);
    dlg.onkeydown = (e) => e.key === 'Escape' && close(false);
  });
  doc.documentElement.append(host);
  ok.focus();
  return { host, root, done };
}
