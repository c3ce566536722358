/**
 * Google Calendar hooks. The event pop-up is one node reused between events, so everything
 * is read relative to the `#xDetDlg` that carries the current `data-eventid`.
 */

export const POPUP = [
  '[data-chips-dialog=true] #xDetDlg[data-eventid]', // source: toggl db77d5f9, clockify b45395e2 (event popup)
  '[data-chips-dialog=true] [data-eventid]', // source: toggl db77d5f9 (popup and chips carry data-eventid)
  '[role=dialog] #xDetDlg[data-eventid]', // fallback if the chips-dialog flag goes away
];
export const EVENT_PAGE = '[data-is-create=false]'; // source: toggl db77d5f9 (event page, eventedit)
export const TITLE = ['[role=heading]']; // source: toggl db77d5f9, clockify b45395e2 (event popup)
export const PAGE_TITLE_INPUT = 'input[data-initial-value]'; // source: toggl db77d5f9 (event page title input)
export const GUESTS = '#xDetDlgAtt'; // source: welovechatter meeting-cost content.js (event popup)
export const GUEST = '[data-email], [data-hovercard-id]'; // GUESS (weak sources), attributes only
export const WHEN = '#xDetDlgWhen'; // source: clockify b45395e2 (event popup; localized text)
/** Description, notes and editors: no addresses from there. */
export const NO_ADDRESSES = '#xDetDlgDesc, [contenteditable=true], [role=textbox], textarea, #xDetDlgVideo, #xDetDlgLoc';
export const ACCOUNT = 'a[href*="accounts.google.com/SignOutOptions"], a[aria-label*="@"][href*="accounts.google.com"]';
