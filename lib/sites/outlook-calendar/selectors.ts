/**
 * Outlook calendar (same hosts as mail, /calendar/ paths). Weakest sources of all: the event
 * id comes from the URL or data attributes, people from persona elements whose address sits
 * in an attribute. Nothing here reads label text.
 */

export const EVENT_ROOTS = [
  '[data-app-section=ReadingPane]', // seen 2023-09 on event (full reading pane; clockify's anchor)
  '[data-app-section=CalendarItemPeek]', // seen 2024-02 on event peek (GUESS, no public capture)
  '[role=dialog]', // peek card opened from the grid
  '[data-app-section=Form_Content]', // seen 2022 on pop-out event
  '[role=main]',
];
export const ID_ATTRS = ['data-itemid', 'data-item-id', 'data-eventid', 'data-event-id'];
export const TITLE = ['[role=heading][title]', '[role=heading]', '.CWGkB']; // .CWGkB: seen 2023-09 on event
/** A persona whose own or an ancestor's test id names the organizer (attribute, not text). */
export const ORGANIZER = '[data-testid*=organizer], [data-testid*=Organizer], [data-log-name*=Organizer], [id*=Organizer], [id*=organizer]';
export const TIMES = 'time[datetime], [datetime]';
/** Description and notes are bodies: no addresses from there. */
export const NO_ADDRESSES = '[role=document], [id^=UniqueMessageBody], blockquote, [contenteditable=true], [role=textbox], [role=toolbar], [role=menu], [id*=Signature]';
