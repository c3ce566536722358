import { db } from '@/lib/db';
import { createContact, createTask, addActivities, ensureCompany } from '@/lib/db/mutations';
import { scaledClock } from '@/lib/sync/clock';
import { PROVIDERS } from '@/lib/sync/registry';
import type { Clock, CrmProvider } from '@/lib/sync/types';
import type { ProviderId } from '@/lib/model';

/** Time runs 200× faster: a 10 s HubSpot window lasts 50 ms of test time. */
export const FAST = 200;

export function fastClock(factor = FAST, random?: () => number): Clock {
  return scaledClock(factor, random);
}

/** HubSpot's documented limits, on the same fast clock as the client. */
export const hsLimits = (factor = FAST) => ({ limit: { tokens: 100, windowMs: 10_000 / factor }, searchLimit: { tokens: 4, windowMs: 1_000 / factor } });

export function providerFor(id: ProviderId, url: string, secret: string, clock: Clock, extra: { timeoutMs?: number; maxAttempts?: number; limits?: Record<string, { tokens: number; windowMs: number }>; fetch?: typeof fetch } = {}): CrmProvider {
  return PROVIDERS[id]!.create({ providerId: id, kind: 'token', secret, baseUrl: url }, { clock, timeoutMs: extra.timeoutMs ?? 60_000, maxAttempts: extra.maxAttempts ?? 8, limits: extra.limits, fetch: extra.fetch });
}

export async function seedLocal(n: { contacts: number; activitiesPer?: number; tasks?: number }) {
  const company = await ensureCompany('acme.test', 'Acme');
  const contacts = [];
  for (let i = 0; i < n.contacts; i++) {
    contacts.push(await createContact({ emails: [`person${i}@acme.test`], name: `Person ${i}`, companyId: company.id, source: { origin: 'manual' } }));
  }
  for (const c of contacts) {
    const acts = Array.from({ length: n.activitiesPer ?? 0 }, (_, k) => ({ kind: 'email' as const, occurredAt: 1_700_000_000_000 + k, contactIds: [c.id], subject: `Hello ${k}`, direction: 'outbound' as const }));
    if (acts.length) await addActivities(acts);
  }
  for (let i = 0; i < (n.tasks ?? 0); i++) await createTask({ kind: 'follow_up', title: `Follow up ${i}`, dueAt: 1_800_000_000_000, contactId: contacts[i % contacts.length]?.id });
  return { company, contacts };
}

export async function outboxCount() {
  return db.outbox.count();
}
