// Bench entry: only the Gmail detector, as a Gmail-only content script could ship it.
import { detectWith } from '@/lib/sites';
import { gmail } from '@/lib/sites/gmail';

export function read(doc: Document = document) {
  const c = detectWith([gmail], 'https://mail.google.com/mail/u/0/#inbox/FMfcgzGwHLxqKjMpzXbWfRtVnDcBgLjQ', doc);
  return { subject: c?.subject ?? '', messages: (c?.messages ?? []).map((m) => ({ from: m.from?.email ?? '', to: m.to.map((p) => p.email) })) };
}
