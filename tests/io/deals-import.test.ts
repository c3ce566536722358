import { db } from '@/lib/db';
import { createContact, createDeal, ensureDefaults } from '@/lib/db/mutations';
import { getSettings } from '@/lib/db/queries';
import { DEAL_FIELDS, ImportRejected, applyDealImport, exportDealsCsv, formatIssue, guessMapping, parseAmount, parseCsv, parseIsoDate, prepareDealImport } from '@/lib/io';
import { fixture } from './helpers';

const NOW = Date.UTC(2026, 10, 20, 12);

async function plan(text: string) {
  const csv = parseCsv(text);
  return prepareDealImport(csv, guessMapping(csv.headers, DEAL_FIELDS), await getSettings(), { now: NOW });
}

describe('deal CSV import', () => {
  beforeEach(() => ensureDefaults());

  it('imports deals into named pipelines and stages, linking and creating contacts', async () => {
    const ada = await createContact({ emails: ['ada@analytical.io'], source: { origin: 'manual' } });
    const p = await plan(fixture('deals-valid.csv'));
    expect(p).toMatchObject({ creates: 3, updates: 0 });
    expect(p.newContacts.map((c) => c.emails[0])).toEqual(['grace@navy.example.org', 'ops@navy.example.org', 'alan@bletchley.example.com']);
    const r = await applyDealImport(p, { now: NOW });
    expect(r).toEqual({ created: 3, updated: 0, contactsCreated: 3 });

    const deals = await db.deals.toArray();
    const rollout = deals.find((d) => d.name === 'Analytical rollout')!;
    expect(rollout).toMatchObject({
      stageId: 'discovery',
      status: 'open',
      amount: { value: 12500, currency: 'EUR' },
      expectedCloseAt: Date.UTC(2026, 11, 15, 12),
      contactIds: [ada.id],
      nextStep: { text: 'Send proposal', dueAt: Date.UTC(2026, 10, 30, 12) },
      stageHistory: [{ stageId: 'discovery', enteredAt: NOW }],
    });
    // No pipeline column value: the default pipeline; no currency: the settings' default.
    expect(deals.find((d) => d.name === 'Navy pilot')).toMatchObject({ pipelineId: 'default', stageId: 'lead', amount: { value: 4000, currency: 'USD' } });
    expect(deals.find((d) => d.name === 'Bletchley renewal')).toMatchObject({ status: 'won', closedAt: Date.UTC(2026, 9, 1, 12) });
    expect(await db.outbox.where('entity').equals('deal').count()).toBe(3);
  });

  it('rejects a file with bad lines, naming every line and field, and writes nothing', async () => {
    const e = await plan(fixture('deals-bad-lines.csv')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImportRejected);
    expect((e as ImportRejected).issues.map(formatIssue)).toEqual([
      'Line 3, Deal name: is empty; every deal needs a name',
      'Line 4, Stage: "Sales" has no stage "Signed" (its stages: Lead in, Discovery, Qualified, Proposal, Negotiation, Won, Lost)',
      'Line 4, Amount: "ten" is not an amount like 12500 or 12,500.00',
      'Line 4, Expected close: "03/04/2026" is not a date written as YYYY-MM-DD',
      'Line 4, Contact emails: "not-an-email" is not an email address',
      'Line 4, Next step due: is empty; a next step needs a date',
    ]);
    expect(await db.deals.count()).toBe(0);
    expect(await db.contacts.count()).toBe(0);
  });

  it('updates a same-named deal without moving its stage, and refuses a stage change', async () => {
    const c = await createContact({ emails: ['ada@analytical.io'], source: { origin: 'manual' } });
    const d = await createDeal({ name: 'Analytical rollout', pipelineId: 'default', stageId: 'discovery', contactIds: [c.id] });
    const p = await plan('Deal name,Stage,Amount\nanalytical ROLLOUT,Discovery,777\n');
    expect(p).toMatchObject({ creates: 0, updates: 1 });
    await applyDealImport(p);
    expect(await db.deals.get(d.id)).toMatchObject({ amount: { value: 777, currency: 'USD' }, stageId: 'discovery', name: 'Analytical rollout' });

    const e = await plan('Deal name,Stage\nAnalytical rollout,Proposal\n').catch((x: unknown) => x);
    expect((e as ImportRejected).issues[0]).toMatchObject({ line: 2, field: 'Stage' });
  });

  it('refuses the same deal twice in one file', async () => {
    const e = await plan('Deal name\nX\nx\n').catch((x: unknown) => x);
    expect((e as ImportRejected).issues.map(formatIssue)).toEqual(['Line 3, Deal name: repeats the deal on line 2']);
  });

  it('round-trips its own CSV export', async () => {
    await applyDealImport(await plan(fixture('deals-valid.csv')), { now: NOW });
    const exported = await exportDealsCsv();
    await db.deals.clear();
    const again = await plan(exported);
    expect(again.creates).toBe(3);
    expect(again.newContacts).toEqual([]);
    await applyDealImport(again, { now: NOW });
    expect((await db.deals.toArray()).map((d) => [d.name, d.stageId, d.amount?.value]).sort()).toEqual([
      ['Analytical rollout', 'discovery', 12500],
      ['Bletchley renewal', 'won', 9000],
      ['Navy pilot', 'lead', 4000],
    ]);
  });
});

describe('parsers', () => {
  it('reads amounts with symbols and thousands separators, refusing ambiguous ones', () => {
    expect(parseAmount('12,500.00')).toBe(12500);
    expect(parseAmount('$ 4000')).toBe(4000);
    expect(parseAmount('1,5')).toBeNull();
    expect(parseAmount('-3')).toBeNull();
  });

  it('reads ISO dates only, and refuses impossible ones', () => {
    expect(parseIsoDate('2026-02-28')).toBe(Date.UTC(2026, 1, 28, 12));
    expect(parseIsoDate('2026-02-30')).toBeNull();
    expect(parseIsoDate('2026-03-01T09:30:00.000Z')).toBe(Date.UTC(2026, 2, 1, 9, 30));
    expect(parseIsoDate('03/04/2026')).toBeNull();
  });
});
