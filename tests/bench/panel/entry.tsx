/**
 * Bench page for the side panel: the real PageView (contact card, deals, virtualised timeline)
 * rendered against Threadline's real Dexie database in Chromium's IndexedDB.
 */
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { PageView } from '@/components/panel/PageView';
import { db } from '@/lib/db';
import { ensureDefaults } from '@/lib/db/mutations';
import { contactTerms, termsFor } from '@/lib/db/schema';
import type { Activity, Contact, PageContext } from '@/lib/model';

export interface FillSpec {
  contacts: number;
  heavyActivities: number;
  /** Activities spread over other contacts, so the timeline index is not one contact's alone. */
  otherActivities: number;
}

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 20);
const HEAVY = 'c-heavy';
const LIGHT = 'c-light';
const email = (i: number) => `person${i}@company${i % 5000}.example`;

/** Fills the store in large transactions; rows are shaped exactly as the mutations write them. */
export async function fill(spec: FillSpec, log: (m: string) => void = () => {}): Promise<{ contacts: number; activities: number; heavy: number }> {
  await db.delete();
  await db.open();
  await ensureDefaults();
  const now = T0;
  const companies = Array.from({ length: 5000 }, (_, i) => ({ id: `co-${i}`, domain: `company${i}.example`, name: `Company ${i}`, createdAt: now, updatedAt: now, remoteIds: {} }));
  await db.companies.bulkAdd(companies.map((c) => ({ ...c, terms: termsFor(c.name, c.domain) })));
  const CHUNK = 10_000;
  for (let start = 0; start < spec.contacts; start += CHUNK) {
    const rows: (Contact & { terms: string[] })[] = [];
    for (let i = start; i < Math.min(spec.contacts, start + CHUNK); i++) {
      const id = i === 0 ? HEAVY : i === 1 ? LIGHT : `c-${i}`;
      const c: Contact = {
        id,
        emails: [email(i)],
        name: i === 0 ? 'Heavy Hitter' : i === 1 ? 'Light Touch' : `Person ${i}`,
        companyId: `co-${i % 5000}`,
        lifecycleStage: 'lead',
        status: 'active',
        source: { origin: 'import', leadSource: i % 3 ? 'Referral' : undefined },
        createdAt: now - 400 * DAY,
        updatedAt: now,
        lastTouchedAt: now - (i % 90) * DAY,
        remoteIds: {},
      };
      rows.push({ ...c, terms: contactTerms(c) });
    }
    await db.contacts.bulkAdd(rows);
    log(`contacts ${Math.min(spec.contacts, start + CHUNK)}`);
  }
  const addActs = async (contactId: (i: number) => string, n: number, prefix: string) => {
    for (let start = 0; start < n; start += CHUNK) {
      const acts: Activity[] = [];
      for (let i = start; i < Math.min(n, start + CHUNK); i++) {
        acts.push({
          id: `${prefix}-${i}`,
          kind: i % 7 === 0 ? 'meeting' : i % 11 === 0 ? 'note' : 'email',
          occurredAt: now - i * 3_600_000,
          direction: i % 2 ? 'inbound' : 'outbound',
          subject: `Re: proposal round ${i}`,
          snippet: `Thanks, following up on item ${i} of the rollout plan.`,
          participants: [],
          contactIds: [contactId(i)],
          externalKey: `gmail:${prefix}:${i}`,
          createdAt: now,
          remoteIds: i % 4 ? {} : { hubspot: `r${i}` },
        });
      }
      await db.transaction('rw', db.activities, db.timeline, async () => {
        await db.activities.bulkAdd(acts);
        await db.timeline.bulkAdd(acts.map((a) => ({ activityId: a.id, contactId: a.contactIds[0]!, occurredAt: a.occurredAt, kind: a.kind })));
      });
      log(`${prefix} activities ${Math.min(n, start + CHUNK)}`);
    }
  };
  await addActs(() => HEAVY, spec.heavyActivities, 'h');
  await addActs((i) => (i < 20 ? LIGHT : `c-${2 + (i % (spec.contacts - 2))}`), spec.otherActivities, 'o');
  // A connected CRM with a queue, so each row's sync state is really computed.
  await db.syncState.put({ key: 'connected', value: { providerId: 'hubspot', accountName: 'Bench' } });
  await db.outbox.bulkAdd(Array.from({ length: 200 }, (_, i) => ({ entity: 'activity' as const, entityId: `h-${i}`, op: 'upsert' as const, at: now })));
  await db.deals.bulkAdd([
    { id: 'd-1', name: 'Heavy expansion', pipelineId: 'default', stageId: 'proposal', amount: { value: 48_000, currency: 'USD' }, expectedCloseAt: now + 20 * DAY, contactIds: [HEAVY], status: 'open', nextStep: { text: 'Security review', dueAt: now + 2 * DAY }, stageHistory: [{ stageId: 'lead', enteredAt: now - 60 * DAY, leftAt: now - 30 * DAY }, { stageId: 'proposal', enteredAt: now - 30 * DAY }], evidence: {}, createdAt: now - 60 * DAY, updatedAt: now, remoteIds: {}, terms: ['heavy', 'expansion'] },
    { id: 'd-2', name: 'Heavy renewal', pipelineId: 'default', stageId: 'won', contactIds: [HEAVY], status: 'won', closedAt: now - 100 * DAY, closedReason: 'Price', stageHistory: [{ stageId: 'won', enteredAt: now - 100 * DAY }], evidence: {}, createdAt: now - 200 * DAY, updatedAt: now, remoteIds: {}, terms: ['heavy', 'renewal'] },
  ]);
  return { contacts: await db.contacts.count(), activities: await db.activities.count(), heavy: await db.timeline.where('[contactId+occurredAt]').between([HEAVY, -Infinity], [HEAVY, Infinity]).count() };
}

const page = (who: number, key: string, subject: string): PageContext => ({
  site: 'gmail',
  view: 'thread',
  key,
  url: `https://mail.google.com/mail/u/0/#inbox/${key}`,
  subject,
  people: [
    { email: 'me@mycorp.example', role: 'from', self: true },
    { email: email(who), role: 'to' },
  ],
  messages: [],
  inPageUi: true,
});
const CONTEXTS = { heavy: page(0, 'heavy-thread', 'Heavy thread'), light: page(1, 'light-thread', 'Light thread') };
const NAMES = { heavy: 'Heavy Hitter', light: 'Light Touch' };
const FIRST_ROW = { heavy: 'h-0', light: 'o-0' };

let show: ((c: PageContext) => void) | undefined;

function Bench({ initial }: { initial: PageContext }) {
  const [ctx, setCtx] = useState(initial);
  show = setCtx;
  return (
    <main className="mx-auto flex min-h-screen w-full max-w-[600px] min-w-[320px] flex-col gap-3 p-3 text-sm">
      <PageView context={ctx} />
    </main>
  );
}

export interface Timing {
  /** Context change → contact card in the DOM. */
  card: number;
  /** → newest timeline row in the DOM. */
  rows: number;
  /** → the frame after both: painted. */
  painted: number;
}

/** Watches the DOM after a change at `t0`: when the card and the rows appear, then the next paint. */
function watch(which: keyof typeof CONTEXTS, t0: number): Promise<Timing> {
  return new Promise((resolve) => {
    const card = `[aria-label="Contact ${NAMES[which]}"]`;
    const row = `[data-activity-id="${FIRST_ROW[which]}"]`;
    const t: Partial<Timing> = {};
    const check = () => {
      const now = performance.now();
      if (t.card === undefined && document.querySelector(card)) t.card = now - t0;
      if (t.rows === undefined && document.querySelector(row)) t.rows = now - t0;
      if (t.card === undefined || t.rows === undefined) return false;
      mo.disconnect();
      // A frame callback runs before paint; the task queued from it runs after that paint.
      requestAnimationFrame(() => setTimeout(() => resolve({ card: t.card!, rows: t.rows!, painted: performance.now() - t0 }), 0));
      return true;
    };
    const mo = new MutationObserver(check);
    mo.observe(document.body, { childList: true, subtree: true, attributes: true });
    check();
  });
}

export async function mount(): Promise<Timing> {
  const t0 = performance.now();
  const done = watch('light', t0);
  createRoot(document.getElementById('root')!).render(<Bench initial={CONTEXTS.light} />);
  return done;
}

/** From the context change to the contact card and the first timeline page, painted. */
export async function switchTo(which: keyof typeof CONTEXTS): Promise<Timing> {
  const t0 = performance.now();
  const done = watch(which, t0);
  show!(CONTEXTS[which]);
  return done;
}

export function renderedRows(): number {
  return document.querySelectorAll('[data-activity-id]').length;
}
