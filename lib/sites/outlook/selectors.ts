/**
 * Outlook on the web hooks. OWA class names are hashed per build, so anchors are ids, roles,
 * data-* and ARIA structure; the one class below is dated. No selector reads label text.
 */

export const OWA_HOSTS = ['outlook.office.com', 'outlook.office365.com', 'outlook.live.com'];

/** The open conversation is the selected row of the (virtualized) message list. */
export const SELECTED_CONVERSATION = [
  '#MailList [role=option][aria-selected=true][data-convid]', // seen 2025-11 on reading pane (mailvelope outlook-api mock)
  '[role=listbox] [role=option][aria-selected=true][data-convid]', // seen 2025-11 on reading pane
  '[aria-selected=true][data-convid]', // fallback: any selected conversation row
];
export const MAIL_LIST = '#MailList, [role=listbox]';

export const READING_PANE = [
  '[data-app-section=MailReadCompose]', // seen 2025-11 on reading pane
  '#ReadingPaneContainerId', // source: toggl db77d5f9, wd-extension-poc consts (reading pane)
  '[data-app-section=ConversationContainer]', // source: wd-extension-poc consts (reading pane)
  '[data-app-section=Form_Content]', // seen 2025-11 on pop-out read/compose (Briskine 98b08dbe)
];

export const SUBJECT = ['[role=heading][title]', '[role=heading]'];

/** One message of a conversation. */
export const MESSAGE = [
  '.aVla3', // seen 2025-11 on reading pane (hashed class, the only known per-message hook)
];

export const BODY = '[id^=UniqueMessageBody], [role=document]';
/** Never read addresses inside bodies, quotes, signatures or editors. */
export const NO_ADDRESSES =
  '[id^=UniqueMessageBody], [role=document], blockquote, #divRplyFwdMsg, [id*=Signature], [id*=signature], .gmail_quote, [contenteditable=true], [role=textbox], [role=toolbar], [role=menu]';
export const NOT_BODY_TEXT = 'blockquote, #divRplyFwdMsg, [id*=Signature], [id*=signature], .gmail_quote, [id^=appendonsend]';

export const RECIPIENT_WELL = '[data-testid$=RecipientWell], [data-testid*=RecipientWell]'; // seen 2025-11 on reading pane
export const DATE = ['time[datetime]', '[data-testid=SentReceivedSavedTime]']; // GUESS: no public capture shows OWA's message time

/** Compose: recipient wells in order To, Cc, Bcc; chip text "Name <email>". */
export const COMPOSE_WELL = '[contenteditable=true]:not([aria-multiline=true])'; // source: Briskine 98b08dbe outlook.js (compose)
export const CHIP = '[class*="textContainer-"], [class*="individualText-"], [data-lpc-hover-target-id], [role=button][title*="@"]';
export const COMPOSE_SUBJECT = 'input[type=text]';

/** The signed-in mailbox. */
export const SELF = ['[id^=primaryMailboxRoot]', '#mectrl_currentAccount_secondary', '#O365_MainLink_Me'];
