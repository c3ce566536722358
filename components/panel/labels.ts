import type { ActivityKind, LifecycleStage, TaskKind } from '@/lib/model';
import type { BadgeTone } from '@/components/ui';

export const ACTIVITY_LABEL: Record<ActivityKind, string> = {
  email: 'Email',
  meeting: 'Meeting',
  note: 'Note',
  call: 'Call',
  stage_change: 'Stage change',
  task_done: 'Task done',
};

export const LIFECYCLE_LABEL: Record<LifecycleStage, string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  mql: 'MQL',
  sql: 'SQL',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
  other: 'Other',
};

export const TASK_KIND_LABEL: Record<TaskKind, string> = {
  follow_up: 'Follow-up',
  next_step: 'Next step',
  no_reply: 'No reply',
  re_engage: 'Re-engage',
  stale_deal: 'Stale deal',
  missing_next_step: 'Missing next step',
};

export const TASK_KIND_TONE: Record<TaskKind, BadgeTone> = {
  follow_up: 'blue',
  next_step: 'blue',
  no_reply: 'amber',
  re_engage: 'violet',
  stale_deal: 'red',
  missing_next_step: 'amber',
};

export const ORIGIN_LABEL = { capture: 'Captured', manual: 'Added by hand', import: 'Imported', sync: 'From CRM' } as const;

export const LEAD_SOURCES = ['Inbound', 'Outbound', 'Referral', 'Website', 'Event', 'Webinar', 'Partner', 'Paid ads', 'Other'];

export function evidenceLabel(kind: string): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1).replace(/_/g, ' ');
}
