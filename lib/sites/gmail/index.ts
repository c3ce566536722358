import type { SiteDetector } from '../types';

// Placeholder until the capture work lands its real detector.
export const gmail: SiteDetector = {
  id: 'gmail',
  matchesUrl: (url) => url.hostname === 'mail.google.com',
  detect(url, doc) {
    const idEl = doc.querySelector('[data-legacy-thread-id]');
    const key = idEl?.getAttribute('data-legacy-thread-id');
    if (!key) return null;
    const people = [...doc.querySelectorAll('[role=main] span[email]')].map((el) => ({
      email: (el.getAttribute('email') ?? '').trim().toLowerCase(),
      name: el.getAttribute('name') ?? undefined,
      role: 'from' as const,
    }));
    return { site: 'gmail', view: 'thread', key, url: url.href, subject: doc.querySelector('h2.hP')?.textContent ?? undefined, people, messages: [] };
  },
};
