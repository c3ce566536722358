/**
 * The in-page look, kept tiny (it ships in every content script). `all: initial` on the host
 * stops inherited page styles (fonts, line heights, Gmail's colours) from crossing in.
 */
const BASE =
  ':host{all:initial;font:13px system-ui,sans-serif;color:#1f2937}' +
  'button{font:inherit;cursor:pointer;border-radius:6px;border:1px solid #2563eb;padding:2px 10px;background:#fff;color:#1d4ed8}.ok,.log{background:#2563eb;color:#fff}';

export const BUTTON_CSS =
  BASE +
  ':host{display:inline-flex;align-items:center;gap:6px;margin:0 8px;white-space:nowrap}.st{font-size:12px;max-width:42ch;overflow:hidden;text-overflow:ellipsis}' +
  '[data-s=failed]{color:#b91c1c}[data-s=synced],[data-s=logged]{color:#047857}';

export const CHIP_CSS = BASE + 'span{font-size:11px;margin:0 4px;padding:0 6px;border-radius:8px;background:#e0e7ff;color:#3730a3;white-space:nowrap}';

export const DIALOG_CSS =
  BASE +
  '.back{position:fixed;inset:0;background:#0f172a59;display:flex;align-items:center;justify-content:center;z-index:2147483647}' +
  '.dlg{background:#fff;width:min(520px,90vw);max-height:80vh;overflow:auto;border-radius:10px;padding:16px}.q{white-space:pre-wrap}.acts{text-align:right}';
