import { expect, it } from 'vitest';
import { detectPage } from '@/lib/sites';
// @ts-expect-error plain ESM helper shared with the benchmark
import { gmailThreadPage } from '../bench/detect/gmail-page.mjs';

it('the benchmark page is read fully and correctly: 50 messages, senders, recipients, no quoted or signature addresses', () => {
  const doc = new DOMParser().parseFromString(gmailThreadPage(50), 'text/html');
  const c = detectPage('https://mail.google.com/mail/u/0/#inbox/FMfcgzGwHLxq', doc)!;
  expect(c.view).toBe('thread');
  expect(c.subject).toBe('Re: Rollout plan 🚀');
  expect(c.messages).toHaveLength(50);
  for (const [i, m] of c.messages.entries()) {
    const from = i % 4 === 3 ? 'jane@acme.io' : `person${i % 12}@client${i % 12 % 3}.example`;
    expect(m.from?.email).toBe(from);
    expect(m.to.length).toBe(from === 'jane@acme.io' ? 2 : 3);
    const pm = 1 + (i % 12);
    expect(m.date).toBe(new Date(2023, 10, 1 + (i % 28), (pm % 12) + 12, i % 60).getTime());
  }
  const all = c.people.map((p) => p.email);
  expect(all).toHaveLength(13);
  expect(all.some((e) => /signature|quoted/.test(e))).toBe(false);
  expect(c.people.find((p) => p.email === 'jane@acme.io')).toEqual({ email: 'jane@acme.io', role: 'to', self: true });
});
