import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { ClockProvider } from '@/components/hooks/useNow';
import { addActivities, createContact, ensureCompany, ensureDefaults, type NewContact } from '@/lib/db/mutations';
import type { Contact } from '@/lib/model';

/** Friday 20 Nov 2026, 15:00 local: the one clock of every panel test. */
export const NOW = new Date(2026, 10, 20, 15, 0).getTime();
export const DAY = 86_400_000;

/**
 * Fakes only Date: Dexie and fake-indexeddb still need real timers, but every write's timestamp
 * and every rule's "now" agree with the rendered clock.
 */
export function freezeClock(at = NOW): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

export function renderAt(ui: ReactElement, now = NOW): RenderResult {
  return render(<ClockProvider now={now}>{ui}</ClockProvider>);
}

export async function seedContact(over: Partial<NewContact> = {}): Promise<Contact> {
  await ensureDefaults();
  const company = await ensureCompany('acme.com', 'Acme');
  return createContact({
    emails: ['ana@acme.com'],
    name: 'Ana Lima',
    companyId: company.id,
    lifecycleStage: 'lead',
    source: { origin: 'capture', site: 'gmail', leadSource: 'Referral' },
    lastTouchedAt: NOW - 12 * DAY,
    ...over,
  });
}

export async function seedEmails(contactId: string, n: number, start = NOW - DAY): Promise<void> {
  const batch = Array.from({ length: n }, (_, i) => ({
    kind: 'email' as const,
    occurredAt: start - i * 60_000,
    contactIds: [contactId],
    subject: `Email ${i}`,
    externalKey: `gmail:t:${contactId}:${i}`,
  }));
  for (let i = 0; i < batch.length; i += 2000) await addActivities(batch.slice(i, i + 2000));
}

/** happy-dom lays nothing out; the virtualiser needs a viewport and row heights to work with. */
export function fakeLayout(viewport = 400, row = 40): () => void {
  const ch = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
  const oh = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight');
  const rect = HTMLElement.prototype.getBoundingClientRect;
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => viewport });
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => row });
  HTMLElement.prototype.getBoundingClientRect = function () {
    const h = this.tagName === 'LI' ? row : viewport;
    return { x: 0, y: 0, top: 0, left: 0, bottom: h, right: 300, width: 300, height: h, toJSON: () => ({}) } as DOMRect;
  };
  return () => {
    if (ch) Object.defineProperty(HTMLElement.prototype, 'clientHeight', ch);
    if (oh) Object.defineProperty(HTMLElement.prototype, 'offsetHeight', oh);
    HTMLElement.prototype.getBoundingClientRect = rect;
  };
}
