/**
 * Google Calendar hooks. The event pop-up is one node reused between events, so everything
 * is read relative to the `#xDetDlg` that carries the current `data-eventid`.
 */

export const POPUP = '[data-chips-dialog=true] #xDetDlg[data-eventid], [data-chips-dialog=true] [data-eventid]'; // seen 2023-04 on event popup
export const EVENT_PAGE = '[data-is-create=false]'; // seen 2023-04 on event page (eventedit)
export const TITLE = ['[role=heading]', '#rAECCd']; // seen 2023-04 on event popup
export const PAGE_TITLE_INPUT = 'input[data-initial-value]'; // seen 2023-04 on event page
export const GUESTS = '#xDetDlgAtt'; // seen 2023-04 on event popup
export const GUEST = '[data-email], [data-hovercard-id]'; // GUESS (weak sources), attributes only
export const WHEN = '#xDetDlgWhen'; // seen 2023-04 on event popup (localized text)
/** Description, notes and editors: no addresses from there. */
export const NO_ADDRESSES = '#xDetDlgDesc, [contenteditable=true], [role=textbox], textarea, #xDetDlgVideo, #xDetDlgLoc';
export const ACCOUNT = 'a[href*="accounts.google.com/SignOutOptions"], a[aria-label*="@"][href*="accounts.google.com"]';
