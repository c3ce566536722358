// Bench entry: gmail-js with jQuery, the way an extension bundles them into a content script.
// @ts-expect-error jQuery 4 ships no type declarations and @types/jquery is not installed.
import $ from 'jquery';
// @ts-expect-error gmail-js ships CommonJS with a hand-written d.ts that declares a global class.
import { Gmail } from 'gmail-js';

export function init(): unknown {
  return new Gmail($);
}

/** The same read as Threadline's: the visible subject, and each message's sender and recipients. */
export function read(gmail: any) {
  const subject: string = gmail.get.email_subject();
  const messages = Array.from(document.querySelectorAll('div.adn')).map((el) => {
    const e = gmail.dom.email(el);
    return { from: String(e.from().email ?? '').toLowerCase(), to: e.to().map((t: { email: string }) => String(t.email).toLowerCase()) };
  });
  return { subject, messages };
}
