/**
 * Outlook calendar (same hosts as mail, /calendar/ paths). Weakest sources of all: the event
 * id comes from the URL or data attributes, people from persona elements whose address sits
 * in an attribute. Nothing here reads label text.
 */

export const EVENT_ROOTS = [
  '[data-app-section=ReadingPane]', // source: clockify b45395e2 outlook.js (event in the reading pane)
  '[role=dialog]', // GUESS: the peek card opened from the grid (needs a data-itemid to count)
  '[data-app-section=Form_Content]', // seen 2025-11 on pop-out (Briskine 98b08dbe)
  '[role=main]', // fallback: counts only with an id in the URL
];
export const ID_ATTRS = ['data-itemid', 'data-item-id', 'data-eventid', 'data-event-id'];
export const TITLE = ['[role=heading][title]', '[role=heading]', '.CWGkB']; // .CWGkB: source clockify b45395e2 (event title)
/** A persona whose own or an ancestor's test id names the organizer (attribute, not text). */
export const ORGANIZER = '[data-testid*=organizer], [data-testid*=Organizer], [data-log-name*=Organizer], [id*=Organizer], [id*=organizer]';
export const TIMES = 'time[datetime], [datetime]';
/** Description and notes are bodies: no addresses from there. */
export const NO_ADDRESSES = '[role=document], [id^=UniqueMessageBody], blockquote, [contenteditable=true], [role=textbox], [role=toolbar], [role=menu], [id*=Signature]';
