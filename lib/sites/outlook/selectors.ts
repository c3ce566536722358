/**
 * Outlook on the web hooks. OWA class names are hashed per build, so anchors are ids, roles,
 * data-* and ARIA structure; the one class below is dated. No selector reads label text.
 */

export const OWA_HOSTS = ['outlook.office.com', 'outlook.office365.com', 'outlook.live.com'];

/** The open conversation is the selected row of the (virtualized) message list. */
export const SELECTED_CONVERSATION = [
  '#MailList [role=option][aria-selected=true][data-convid]', // seen 2025-11 on reading pane
  '[role=listbox] [role=option][aria-selected=true][data-convid]', // seen 2025-11 on reading pane
  '[aria-selected=true][data-convid]',
];
export const MAIL_LIST = '#MailList, [role=listbox]';

export const READING_PANE = [
  '[data-app-section=MailReadCompose]', // seen 2025-11 on reading pane
  '#ReadingPaneContainerId', // seen 2023-05 on reading pane
  '[data-app-section=ConversationContainer]', // seen 2023-05 on reading pane
  '[data-app-section=Form_Content]', // seen 2022 on pop-out read/compose
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
export const DATE = ['time[datetime]', '[data-testid=SentReceivedSavedTime]']; // seen 2024-03 on reading pane

/** Compose: recipient wells in order To, Cc, Bcc; chip text "Name <email>". */
export const COMPOSE_WELL = '[contenteditable=true]:not([aria-multiline=true])'; // seen 2023-08 on compose
export const CHIP = '[class*="textContainer-"], [class*="individualText-"], [data-lpc-hover-target-id], [role=button][title*="@"]';
export const COMPOSE_SUBJECT = 'input[type=text]';

/** The signed-in mailbox. */
export const SELF = ['[id^=primaryMailboxRoot]', '#mectrl_currentAccount_secondary', '#O365_MainLink_Me'];
