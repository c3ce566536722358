import { DEFAULT_SETTINGS, type Contact, type Deal, type Settings, type Stage } from '@/lib/model';
import type { EmailFact, NudgeSnapshot } from '@/lib/nudges/types';

export const iso = (s: string): number => Date.parse(s);
export const DAY = 86_400_000;

export function contact(id: string, patch: Partial<Contact> = {}): Contact {
  return {
    id,
    emails: [`${id}@client.com`],
    name: id.toUpperCase(),
    status: 'active',
    source: { origin: 'manual' },
    createdAt: iso('2026-01-01T00:00:00Z'),
    updatedAt: iso('2026-01-01T00:00:00Z'),
    remoteIds: {},
    ...patch,
  };
}

export function deal(id: string, patch: Partial<Deal> = {}): Deal {
  const createdAt = patch.createdAt ?? iso('2026-11-01T00:00:00Z');
  return {
    id,
    name: `Deal ${id}`,
    pipelineId: 'p',
    stageId: 'qualify',
    contactIds: ['ana'],
    status: 'open',
    stageHistory: [{ stageId: patch.stageId ?? 'qualify', enteredAt: createdAt }],
    evidence: {},
    nextStep: { text: 'Call back', dueAt: iso('2027-01-01T00:00:00Z') },
    createdAt,
    updatedAt: createdAt,
    remoteIds: {},
    ...patch,
  };
}

export function outbound(id: string, to: string, at: number, patch: Partial<EmailFact> = {}): EmailFact {
  return { id, occurredAt: at, direction: 'outbound', contactIds: [to], subject: `Re: ${id}`, sourceUrl: `https://mail.google.com/mail/u/0/#inbox/${id}`, from: 'me@us.com', ...patch };
}

export function inbound(id: string, from: string, at: number, patch: Partial<EmailFact> = {}): EmailFact {
  return { id, occurredAt: at, direction: 'inbound', contactIds: [from], from: `${from}@client.com`, ...patch };
}

const stage = (id: string, staleAfterDays = 14): Stage => ({ id, name: id, order: 0, probability: 0.1, requiredEvidence: [], staleAfterDays, outcome: 'open' });

export function snapshot(p: Partial<NudgeSnapshot> & { contactList?: Contact[]; dealList?: Deal[] } = {}): NudgeSnapshot {
  const { contactList = [], dealList = [], ...rest } = p;
  return {
    contacts: new Map(contactList.map((c) => [c.id, c])),
    contactScope: 'all',
    noReplyScope: 'all',
    deals: new Map(dealList.map((d) => [d.id, d])),
    dealScope: 'all',
    stages: new Map([
      ['p/qualify', stage('qualify', 14)],
      ['p/negotiate', stage('negotiate', 7)],
    ]),
    emails: [],
    dealLastActivityAt: new Map(),
    ...rest,
  };
}

export function settings(patch: Partial<Settings['reminders']> = {}): Settings {
  return { ...DEFAULT_SETTINGS, reminders: { ...DEFAULT_SETTINGS.reminders, quietHours: null, timeZone: 'UTC', ...patch } };
}
