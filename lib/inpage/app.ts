import { keyPrefix } from '@/lib/capture/key';
import type { KnownPerson, MessageName, Receipt, RequestOf, ResponseOf } from '@/lib/messaging/protocol';
import type { TabEvent } from '@/lib/messaging/tab-events';
import type { PageContext } from '@/lib/model';
import { personElements, type SiteUi } from './anchors';
import { createChips } from './chips';
import { createLogButton, type LogButton } from './log-button';
import { showPreview } from './preview-dialog';

export type Send = <N extends MessageName>(name: N, request: RequestOf<N>) => Promise<ResponseOf<N>>;

export interface AppDeps {
  doc: Document;
  /** This content script's sites (Outlook's hosts serve mail and calendar). */
  uis: SiteUi[];
  send: Send;
  /** WXT's ctx.setTimeout in the content script: cleared when the extension reloads. */
  setTimeout: (fn: () => void, ms: number) => unknown;
}

export interface InPageApp {
  button: LogButton;
  /** Mounts or updates the UI for what the page shows now; returns the context to report. */
  render(c: PageContext | null): PageContext | null;
  /** The button's click, the retry, and the keyboard command before the first log. */
  log(): Promise<void>;
  onTabEvent(e: TabEvent): void;
}

/** While a CRM has the log queued, look again this often, a few times, to show "synced". */
const SYNC_RECHECK_MS = 15_000;
const SYNC_RECHECKS = 8;

const loggable = (c: PageContext | null): c is PageContext => c?.view === 'thread' || c?.view === 'event';
const others = (c: PageContext) => [...new Set(c.people.filter((p) => !p.self).map((p) => p.email))];

function reason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // The extension was reloaded or updated under this page: only a reload reconnects it. (A worker
  // that merely stopped reaches here as the client's "stopped before it answered. Try again.")
  if (/context invalidated/i.test(m)) return 'Threadline was updated. Reload the page and try again.';
  return m.slice(0, 300) || 'unknown error';
}

/**
 * The in-page side of capture: one Log button in the thread or event header, stage chips,
 * the first-run preview, and the receipt of every log. It renders what the background
 * answers and keeps no CRM data beyond the page it shows.
 */
export function createApp({ doc, uis, send, setTimeout }: AppDeps): InPageApp {
  const uiOf = (c: PageContext) => uis.find((u) => u.id === c.site);
  let current: PageContext | null = null;
  let peopleSig = '';
  let known: KnownPerson[] = [];
  let acknowledged = false;
  let busy = false;
  const applyChips = createChips(doc);

  const placeChips = () => {
    const ui = loggable(current) && known.length ? uiOf(current) : undefined;
    const scope = ui?.scope(doc);
    if (ui && scope) applyChips(known, (email) => personElements(ui, scope, email));
  };
  const lookup = async (emails: string[]) => {
    if (!emails.length) return;
    known = await send('lookupPeople', { emails: emails.slice(0, 500) }).then((r) => r.people, () => []);
    placeChips();
  };

  const onReceipt = (r: Receipt, fresh: boolean, left = SYNC_RECHECKS) => {
    if (!current || r.key !== keyPrefix(current)) return; // for a page no longer shown
    button.render({ s: 'done', receipt: r, fresh });
    if (fresh) void lookup(others(current));
    // A queued log turns into "synced" here; the counts of the click stay as they were.
    if (r.state === 'queued' && left > 0)
      setTimeout(async () => {
        const now = await send('receiptFor', { key: r.key }).catch(() => null);
        const st = button.state;
        if (now && st.s === 'done' && st.receipt.key === r.key) onReceipt({ ...st.receipt, state: now.state }, st.fresh, left - 1);
      }, SYNC_RECHECK_MS);
  };
  const loadReceipt = async (key: string) => {
    const r = await send('receiptFor', { key }).catch(() => null);
    if (r && button.state.s === 'idle') onReceipt(r, false);
  };

  const log = async () => {
    const c = current;
    if (busy) return;
    if (!loggable(c)) return button.render({ s: 'failed', reason: 'open a thread or an event first.' });
    busy = true;
    try {
      if (!acknowledged) {
        const preview = await send('previewPage', { context: c });
        if (!preview.acknowledged) {
          if (!(await showPreview(doc, preview).done)) return;
          await send('acknowledgePreview', {});
        }
        acknowledged = true;
      }
      button.render({ s: 'logging' });
      onReceipt(await send('logPage', { context: c }), true);
    } catch (e) {
      button.render({ s: 'failed', reason: reason(e) });
    } finally {
      busy = false;
    }
  };

  const button = createLogButton(doc, () => void log());

  const render = (c: PageContext | null): PageContext | null => {
    const prevKey = current && keyPrefix(current);
    current = c;
    const anchor = loggable(c) && uiOf(c)?.anchor(doc, c);
    if (!anchor) {
      button.host.remove();
      return loggable(c) ? { ...c, inPageUi: false } : c;
    }
    if (anchor.nextSibling !== button.host) anchor.after(button.host);
    const key = keyPrefix(c);
    if (key !== prevKey) {
      button.render({ s: 'idle' });
      peopleSig = '';
      void loadReceipt(key);
    }
    const emails = others(c);
    if (emails.join() !== peopleSig) {
      peopleSig = emails.join();
      void lookup(emails);
    } else placeChips();
    return { ...c, inPageUi: true };
  };

  const onTabEvent = (e: TabEvent) => {
    if (e.event === 'receipt') onReceipt(e.receipt, true);
    else if (e.event === 'error') button.render({ s: 'failed', reason: e.message });
    else if (e.event === 'confirmLog') void log();
    else if (loggable(current)) {
      // 'refresh': the store changed elsewhere (sync, side panel): re-read receipt and chips.
      peopleSig = '';
      button.render({ s: 'idle' });
      render(current);
      void loadReceipt(keyPrefix(current));
    }
  };

  return { button, render, log, onTabEvent };
}
