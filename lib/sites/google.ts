import { findEmails } from './address';
import { $$ } from './dom';

/**
 * The signed-in Google account, from what a content script can see: the window title
 * ("Inbox (3) - me@x.com - Gmail", the account is the last address in it) and the account
 * button's label in the Google bar. Both work in every UI language.
 */
export function googleSelf(doc: Document, accountSel: string): string[] {
  const fromTitle = findEmails(doc.title).pop();
  const out = fromTitle ? [fromTitle] : [];
  // The account button is searched for only when the title does not say: it costs a full-page query.
  if (fromTitle) return out;
  for (const a of $$(doc, accountSel)) for (const e of findEmails(a.getAttribute('aria-label'))) if (!out.includes(e)) out.push(e);
  return out;
}
