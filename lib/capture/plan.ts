import type { NewActivity } from '@/lib/db/mutations';
import type { Activity, PageContext, Participant, Person, Settings } from '@/lib/model';
import { keyPrefix } from './key';
import { skipReason, usableName, type SkipReason } from './rules';

export interface PlannedActivity {
  activity: Omit<NewActivity, 'contactIds'>;
  /** Addresses whose contacts this activity belongs to. */
  contactEmails: string[];
}

export interface CapturePlan {
  /** People who should be contacts, deduplicated, with the best name seen. */
  people: { email: string; name?: string }[];
  skipped: { email: string; reason: SkipReason }[];
  activities: PlannedActivity[];
}

export { keyPrefix };

/** Which message text each privacy level keeps; the one table both cuts below read. */
const KEEPS: Record<Settings['privacy'], { subject: boolean; snippet: boolean; body: boolean }> = {
  metadata: { subject: false, snippet: false, body: false },
  subject: { subject: true, snippet: false, body: false },
  snippet: { subject: true, snippet: true, body: false },
  body: { subject: true, snippet: true, body: true },
};

/** Keeps what the privacy level allows, nothing more. */
export function applyPrivacy(
  level: Settings['privacy'],
  text: { subject?: string; snippet?: string; body?: string },
): Pick<Activity, 'subject' | 'snippet' | 'body'> {
  const clean = (s: string | undefined, max: number) => {
    const t = s?.replace(/\s+/g, ' ').trim();
    return t ? t.slice(0, max) : undefined;
  };
  const keep = KEEPS[level];
  return {
    subject: keep.subject ? clean(text.subject, 1000) : undefined,
    snippet: keep.snippet ? clean(text.snippet, 500) : undefined,
    body: keep.body ? text.body?.slice(0, 100_000) : undefined,
  };
}

/**
 * The page as the background may hold it between detection and a log: message text beyond the
 * privacy level is dropped at once, so a "metadata" rep's bodies never sit in session storage.
 * The subject stays: the side panel names the page by it, and a log still applies the level.
 */
export function contextWithinPrivacy(ctx: PageContext, level: Settings['privacy']): PageContext {
  const keep = KEEPS[level];
  return {
    ...ctx,
    messages: ctx.messages.map(({ snippet, body, ...m }) => ({ ...m, ...(keep.snippet && { snippet }), ...(keep.body && { body }) })),
  };
}

/**
 * Pure: what logging this page should write. Compose views plan contacts only: nothing was
 * sent yet, and the sent message is logged from its thread with its real id.
 */
export function planCapture(ctx: PageContext, s: Settings, now: number): CapturePlan {
  // A list shows many threads at once: logging it would sweep up people the rep never opened.
  if (ctx.view === 'list') return { people: [], skipped: [], activities: [] };
  const isSelf = (p: Person) => skipReason(p, s) === 'self';
  const all = new Map<string, Person>();
  const note = (p: Person | undefined) => {
    if (!p) return;
    const prev = all.get(p.email);
    all.set(p.email, { ...p, self: p.self || prev?.self, name: usableName(prev?.name, p.email) ?? usableName(p.name, p.email) });
  };
  ctx.people.forEach(note);
  ctx.messages.forEach((m) => {
    note(m.from);
    m.to.forEach(note);
  });

  const people: CapturePlan['people'] = [];
  const skipped: CapturePlan['skipped'] = [];
  for (const p of all.values()) {
    const reason = skipReason(p, s);
    if (reason) skipped.push({ email: p.email, reason });
    else people.push({ email: p.email, name: p.name });
  }
  const loggable = new Set(people.map((p) => p.email));
  const participantsOf = (ps: Person[]): Participant[] => ps.map((p) => ({ email: p.email, name: usableName(p.name, p.email), role: p.role }));
  const base = { site: ctx.site, sourceUrl: ctx.url };

  const activities: PlannedActivity[] = [];
  if (ctx.view === 'event') {
    const ps = ctx.people;
    activities.push({
      activity: {
        ...base,
        kind: 'meeting',
        occurredAt: ctx.start ?? now,
        endAt: ctx.end,
        externalKey: `${keyPrefix(ctx)}event`,
        participants: participantsOf(ps),
        ...applyPrivacy(s.privacy, { subject: ctx.subject }),
      },
      contactEmails: ps.map((p) => p.email).filter((e) => loggable.has(e)),
    });
  } else if (ctx.view === 'thread') {
    const messages = ctx.messages.length ? ctx.messages : [{ id: 'thread', from: ctx.people.find((p) => p.role === 'from'), to: ctx.people.filter((p) => p.role !== 'from'), date: undefined, snippet: undefined, body: undefined }];
    for (const m of messages) {
      const ps = [...(m.from ? [m.from] : []), ...m.to];
      const fromSelf = m.from ? isSelf(m.from) : false;
      const toExternal = ps.some((p) => loggable.has(p.email));
      activities.push({
        activity: {
          ...base,
          kind: 'email',
          occurredAt: m.date ?? now,
          direction: fromSelf ? (toExternal ? 'outbound' : 'internal') : 'inbound',
          externalKey: `${keyPrefix(ctx)}${m.id}`,
          participants: participantsOf(ps),
          ...applyPrivacy(s.privacy, { subject: ctx.subject, snippet: m.snippet, body: m.body }),
        },
        contactEmails: ps.map((p) => p.email).filter((e) => loggable.has(e)),
      });
    }
  }
  return { people, skipped, activities: activities.filter((a) => a.contactEmails.length > 0) };
}
