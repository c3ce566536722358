// Bench entry: every site detector, as `detectPage` ships them.
import { detectPage } from '@/lib/sites';

export const URL_OF_THREAD = 'https://mail.google.com/mail/u/0/#inbox/FMfcgzGwHLxqKjMpzXbWfRtVnDcBgLjQ';

/** Sender, recipients and subject of the open thread, in the shape the comparison checks. */
export function read(doc: Document = document) {
  const c = detectPage(URL_OF_THREAD, doc);
  return { subject: c?.subject ?? '', messages: (c?.messages ?? []).map((m) => ({ from: m.from?.email ?? '', to: m.to.map((p) => p.email) })) };
}
