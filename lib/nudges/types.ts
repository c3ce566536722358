import type { Activity, Contact, Deal, Stage, TaskKind } from '@/lib/model';

/** The slice of an email activity the no-reply rule reads. */
export type EmailFact = Pick<Activity, 'id' | 'occurredAt' | 'direction' | 'contactIds' | 'dealId' | 'subject' | 'sourceUrl'> & {
  /** Lower-cased sender address, so "a reply from that contact" is exact. */
  from?: string;
};

export type Scope = Set<string> | 'all';

/**
 * Everything the rules may look at. Loaders fill it from the store with index reads; tests
 * build it by hand. A scope says which subjects the snapshot is complete for: only nudges
 * of subjects in scope may be retired, so a partial (incremental) snapshot never clears
 * nudges it did not look at.
 */
export interface NudgeSnapshot {
  contacts: Map<string, Contact>;
  /** Contacts judged by the re-engage rule. */
  contactScope: Scope;
  /** Contacts whose emails are complete since their latest outbound one. */
  noReplyScope: Scope;
  /** Open deals (closed or deleted ones simply have no nudges). */
  deals: Map<string, Deal>;
  dealScope: Scope;
  /** `${pipelineId}/${stageId}` → stage. */
  stages: Map<string, Stage>;
  emails: EmailFact[];
  /** Newest activity linked to each open deal, when there is one. */
  dealLastActivityAt: Map<string, number>;
  /**
   * Deals whose next step already has its own reminder task (the side panel makes one per
   * next step): that task reminds at the due time, so no second "overdue" nudge.
   */
  nextStepTasks?: Set<string>;
}

/** A nudge that should exist now. `ruleKey` names the rule, the subject and the instance. */
export interface DesiredNudge {
  ruleKey: string;
  kind: Extract<TaskKind, 'no_reply' | 'stale_deal' | 'next_step' | 're_engage' | 'missing_next_step'>;
  title: string;
  dueAt: number;
  contactId?: string;
  dealId?: string;
  sourceUrl?: string;
}

export const stageKey = (pipelineId: string, stageId: string): string => `${pipelineId}/${stageId}`;

export function inScope(scope: Scope, id: string | undefined): boolean {
  if (scope === 'all') return true;
  return id !== undefined && scope.has(id);
}
