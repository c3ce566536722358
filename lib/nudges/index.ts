import { applyNudgeWrites } from '@/lib/db/mutations';
import { contactsByEmails, getSettings } from '@/lib/db/queries';
import type { PageContext, Settings } from '@/lib/model';
import { resolveZone } from '@/lib/reminders/calendar';
import { loadForContacts, loadFull, type Loaded } from './load';
import { isEmptyPlan, planNudgeWrites, type NudgePlan } from './reconcile';
import { evaluateNudges } from './rules';

export { evaluateNudges, RULES, ruleOf } from './rules';
export { planNudgeWrites, judged } from './reconcile';
export type { DesiredNudge, NudgeSnapshot } from './types';

export interface PassResult {
  plan: NudgePlan;
  written: { created: number; retired: number };
}

/** Rules over a loaded snapshot, then the writes. Pure up to `applyNudgeWrites`. */
export async function runOn(loaded: Loaded, settings: Settings, now: number): Promise<PassResult> {
  const desired = evaluateNudges(loaded.snapshot, { settings, now, tz: resolveZone(settings.reminders.timeZone) });
  const plan = planNudgeWrites(desired, loaded.stored, loaded.snapshot, settings.reminders.enabled);
  const written = isEmptyPlan(plan) ? { created: 0, retired: 0 } : await applyNudgeWrites(plan, { now });
  return { plan, written };
}

/**
 * A pass over the whole store. `complete` re-reads every contact (start-up, install, edits
 * from the side panel); without it, the periodic pass reads index slices (see loadFull).
 */
export async function runFullPass(now = Date.now(), opts: { complete?: boolean } = {}): Promise<PassResult> {
  const settings = await getSettings();
  return runOn(await loadFull(now, { complete: opts.complete, reEngageDays: settings.reminders.reEngageDays }), settings, now);
}

/** Right after a capture: only the people on that page and their deals. */
export async function runForContacts(contactIds: string[], now = Date.now()): Promise<PassResult> {
  const settings = await getSettings();
  return runOn(await loadForContacts(contactIds, now), settings, now);
}

export async function runForCapture(ctx: PageContext, now = Date.now()): Promise<PassResult> {
  const emails = [...ctx.people.map((p) => p.email), ...ctx.messages.flatMap((m) => [...(m.from ? [m.from.email] : []), ...m.to.map((p) => p.email)])];
  const found = await contactsByEmails(emails);
  return runForContacts([...new Set([...found.values()].map((c) => c.id))], now);
}
