import type { Pipeline, Stage } from '@/lib/model';

export const DEFAULT_PIPELINE_ID = 'default';

/** BANT lands where a demanding sales manager asks for it: need first, money and power before a proposal. */
export function defaultPipeline(): Pipeline {
  const s = (id: string, name: string, order: number, probability: number, requiredEvidence: string[], outcome: Stage['outcome'] = 'open', staleAfterDays = 14): Stage => ({
    id,
    name,
    order,
    probability,
    requiredEvidence,
    staleAfterDays,
    outcome,
  });
  return {
    id: DEFAULT_PIPELINE_ID,
    name: 'Sales',
    isDefault: true,
    remoteIds: {},
    stages: [
      s('lead', 'Lead in', 0, 0.1, [], 'open', 7),
      s('discovery', 'Discovery', 1, 0.2, ['need']),
      s('qualified', 'Qualified', 2, 0.4, ['budget', 'authority']),
      s('proposal', 'Proposal', 3, 0.6, ['timeline']),
      s('negotiation', 'Negotiation', 4, 0.8, [], 'open', 10),
      s('won', 'Won', 5, 1, [], 'won', 3650),
      s('lost', 'Lost', 6, 0, [], 'lost', 3650),
    ],
  };
}

export function stageOf(p: Pipeline, stageId: string): Stage | undefined {
  return p.stages.find((s) => s.id === stageId);
}

export function orderedStages(p: Pipeline): Stage[] {
  return [...p.stages].sort((a, b) => a.order - b.order);
}
