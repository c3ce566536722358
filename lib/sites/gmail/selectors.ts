/**
 * Gmail hooks, newest layout first. Attributes that carry data (`email`, `data-*-id`, `name=`)
 * are the anchors; the obfuscated classes only narrow the search and each is dated.
 * Sources: ../shared notes on InboxSDK's gmail-element-getter / gmail-message-view and gmail.js.
 */

export const THREAD_ROOTS = [
  '[role=main] .g.id .a98.iY', // seen 2023-11 on thread (layout shipped 2023-11-16)
  '[role=main] .g.id table.Bs > tr', // seen 2014-12 … 2023-10 on thread
  '.aia', // source: InboxSDK a8a6fe2 gmail-element-getter (preview pane, vertical and horizontal split)
];

/** Thread id: hex legacy id on the subject heading (list rows carry one too, see LIST_ROW). */
export const THREAD_ID = '[data-legacy-thread-id]';
export const LIST_ROW = 'tr.zA, [role=row]'; // seen 2014-12 … 2025 on list

export const SUBJECT = ['h2.hP', '.ha h2', 'h2[data-legacy-thread-id]']; // seen 2014-12 … 2023-11 on thread

/** A message is anchored on its id attributes (stable A hooks). */
export const MESSAGE = '[data-message-id], [data-legacy-message-id]';
/** When the id sits on an inner node, the message's header lives in this ancestor. */
export const MESSAGE_BOX = '[role=listitem], .h7, .kv, .adn';

/**
 * A message is read in one pass over these parts, in document order: people (`[email]`), the
 * recipient lines, bodies and quotes (whose insides are skipped), and the date. The sender is
 * the first person outside the recipient lines: `td.gF span.gD[email]` (seen 2014-12 … 2023-11,
 * expanded), `span.zF[email]` (collapsed), `.gs .cf.ix span[email]` (mailvelope, FlowCrypt).
 */
export const PERSON = '[email]';
export const RECIPIENT_LINES = [
  '.hb', // seen 2014-12 … 2023-11 on thread (may be truncated)
  '.ajC', // seen 2023-11 on thread (InboxSDK a8a6fe2): the details pop-up, the full list once opened
];
export const DETAILS = '.ajC';
export const DATE = ['.g3[title]']; // seen 2014-12 … 2023-11 on thread (`.gK .g3`, `span.g3`)
export const BODY = ['div.a3s', '.ii.gt', '.adP']; // seen 2014-12 … 2023-11 on thread
export const QUOTES = ['blockquote', '.gmail_quote']; // seen 2014 … 2023-11 inside bodies
export const MESSAGE_PARTS = /* @__PURE__ */ [PERSON, ...RECIPIENT_LINES, ...BODY, ...QUOTES, ...DATE].join(', ');

/** Never read addresses inside these: bodies, quotes, signatures, list snippets (also the in-page chips' skip list). */
export const NO_ADDRESSES = 'div.a3s, .ii.gt, .adP, blockquote, .gmail_quote, .gmail_signature, [data-smartmail=gmail_signature], span.y2';
/** Skipped when taking a snippet or body. */
export const NOT_BODY_TEXT = 'blockquote, .gmail_quote, .gmail_signature, .gmail_signature_prefix, [data-smartmail=gmail_signature], .adL, .yj6qo, .ajU, .adm';

/** Compose windows: popup moles, full screen, standalone, inline reply. */
export const COMPOSE_FIELDS = 'input[name=composeid], input[name=draft], input[name=subjectbox]'; // inside the compose form
export const COMPOSE_ROOTS = ['.M9', '.I5', '[role=dialog]']; // seen 2014-12 … 2023-11 on compose; else the form itself
export const INLINE_REPLY = '.ip.adB, .adB'; // seen 2023-11 on inline reply (InboxSDK a8a6fe2)
export const CHIP = '[role=option][data-hovercard-id]'; // seen 2021-06 … 2023-11 on compose (chip UI)
export const CLASSIC_RECIPIENT = 'input[type=hidden][name=to], input[type=hidden][name=cc], input[type=hidden][name=bcc]'; // seen 2014-12 … 2021-06 on compose (classic UI)
export const OTHER_RECIPIENT = 'div.az9 span[email][data-hovercard-id], .agb .afV[data-hovercard-id]'; // seen 2023-11 on compose (FlowCrypt, mailvelope)
export const COMPOSE_SUBJECT = ['input[name=subjectbox]', 'input[name=subject]'];
export const COMPOSE_FROM = ['input[name=from]', '.az2'];

/** The signed-in account: the Google bar's account button label holds the address. */
export const ACCOUNT = 'a[href*="accounts.google.com/SignOutOptions"], a[aria-label*="@"][href*="accounts.google.com"]';
