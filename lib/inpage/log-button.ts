import type { Receipt } from '@/lib/messaging/protocol';
import { createHost, h } from './dom';
import { BUTTON_CSS } from './styles';

/** Every state the button can show: "did it log?" is never a question. */
export type ButtonState =
  | { s: 'idle' }
  | { s: 'logging' }
  /** `fresh`: this click's receipt; otherwise what the store says about an earlier log. */
  | { s: 'done'; receipt: Receipt; fresh: boolean }
  | { s: 'failed'; reason: string };

/** The accessible name screen readers and the e2e suite find the button by. Never localize it away. */
export const LOG_LABEL = 'Log to Threadline';

const WORD = { logged: 'Logged', queued: 'Queued for sync', synced: 'Synced', failed: 'Failed' };

/** The status line for a state. Pure, so every wording is unit-tested. */
export function describeState(st: ButtonState): string {
  if (st.s === 'idle') return '';
  if (st.s === 'logging') return 'Logging…';
  if (st.s === 'failed') return `Failed: ${st.reason}`;
  const r = st.receipt;
  if (!st.fresh) return `${WORD[r.state]} (${r.existing} ${r.existing === 1 ? 'item' : 'items'})`;
  return (
    `${WORD[r.state]}: ${r.added} new` +
    (r.existing ? `, ${r.existing} already logged` : '') +
    (r.needsDeal.length ? ' · pick a deal in the side panel' : '') +
    (r.suggestions.length ? ' · suggestions in the side panel' : '')
  );
}

export interface LogButton {
  host: HTMLElement;
  /** For tests: the shadow root is closed to the page, not to us. */
  root: ShadowRoot;
  state: ButtonState;
  render(st: ButtonState): void;
}

/** The Log button, its live status line and, after a failure, a retry. */
export function createLogButton(doc: Document, onLog: () => void): LogButton {
  const { host, root } = createHost(doc, 'threadline-log', BUTTON_CSS, 'log');
  const button = h(doc, 'button', { type: 'button', class: 'log', 'aria-label': LOG_LABEL }, 'Log');
  const status = h(doc, 'span', { class: 'st', role: 'status' });
  const retry = h(doc, 'button', { type: 'button', hidden: true }, 'Retry');
  button.onclick = retry.onclick = onLog;
  root.append(button, status, retry);
  const self: LogButton = {
    host,
    root,
    state: { s: 'idle' },
    render(st) {
      self.state = st;
      status.textContent = status.title = describeState(st);
      status.dataset.s = st.s === 'done' ? st.receipt.state : st.s;
      button.disabled = st.s === 'logging';
      retry.hidden = st.s !== 'failed';
    },
  };
  return self;
}
