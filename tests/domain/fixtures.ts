import { Deal, type Contact } from '@/lib/model';

export const DAY = 86_400_000;
/** A fixed clock for every domain test: Friday 20 Nov 2026, 15:00 local. */
export const NOW = new Date(2026, 10, 20, 15, 0).getTime();

let n = 0;
export function deal(over: Partial<Deal> & { stages?: [string, number, number?][] } = {}): Deal {
  const { stages, ...rest } = over;
  const history = (stages ?? [['lead', NOW - 10 * DAY]]).map(([stageId, enteredAt, leftAt]) => ({ stageId, enteredAt, ...(leftAt !== undefined ? { leftAt } : {}) }));
  return Deal.parse({
    id: `d${++n}`,
    name: `Deal ${n}`,
    pipelineId: 'default',
    stageId: history.at(-1)!.stageId,
    contactIds: ['c1'],
    status: 'open',
    stageHistory: history,
    evidence: {},
    createdAt: history[0]!.enteredAt,
    updatedAt: NOW,
    remoteIds: {},
    ...rest,
  });
}

export function contact(over: Partial<Contact> = {}): Contact {
  return {
    id: 'c1',
    emails: ['ana@acme.com'],
    name: 'Ana',
    status: 'active',
    source: { origin: 'capture', leadSource: 'Referral' },
    lifecycleStage: 'lead',
    createdAt: NOW - 30 * DAY,
    updatedAt: NOW,
    remoteIds: {},
    ...over,
  };
}
