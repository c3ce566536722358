import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PipelineView } from '@/components/panel/PipelineView';
import { createDeal, ensureDefaults, moveDealStage } from '@/lib/db/mutations';
import { DAY, NOW, freezeClock, renderAt, seedContact } from './helpers';

beforeEach(() => freezeClock(NOW - 30 * DAY));
afterEach(() => vi.useRealTimers());

const usd = (value: number) => ({ value, currency: 'USD' });
const step = () => ({ text: 'Follow up', dueAt: Date.now() + DAY });

async function seedPipeline() {
  const c = await seedContact();
  const mk = (name: string, amount: number, leadSource: string, closeInDays: number) =>
    createDeal({ name, pipelineId: 'default', stageId: 'lead', contactIds: [c.id], amount: usd(amount), leadSource, expectedCloseAt: NOW + closeInDays * DAY, nextStep: step() });
  const a = await mk('Alpha', 10_000, 'Referral', 5);
  const b = await mk('Beta', 20_000, 'Webinar', 40);
  const w = await mk('Won one', 30_000, 'Referral', 0);
  const l = await mk('Lost one', 5_000, 'Webinar', 0);
  vi.setSystemTime(NOW - 20 * DAY);
  await moveDealStage(a.id, { toStageId: 'discovery', evidence: { need: 'pain' }, nextStep: step() });
  await moveDealStage(w.id, { toStageId: 'discovery', evidence: { need: 'pain' }, nextStep: step() });
  await moveDealStage(l.id, { toStageId: 'lost', reason: 'price' });
  vi.setSystemTime(NOW - 10 * DAY);
  await moveDealStage(w.id, { toStageId: 'won', reason: 'fit', evidence: { budget: 'yes', authority: 'CEO', timeline: 'Q4' } });
  vi.setSystemTime(NOW);
  return { a, b };
}

describe('Pipeline', () => {
  it('shows open deals by stage, the weighted forecast, conversion, time per stage and won revenue by source', async () => {
    await seedPipeline();
    const onOpen = vi.fn();
    renderAt(<PipelineView onOpenDeal={onOpen} />);
    const byStage = await screen.findByRole('region', { name: 'Open deals by stage' });
    const stageHeadings = within(byStage).getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(stageHeadings[0]).toMatch(/^Lead in \(1\)\$20,000/);
    expect(stageHeadings[1]).toMatch(/^Discovery \(1\)\$10,000/);
    fireEvent.click(within(byStage).getByRole('button', { name: /Alpha/ }));
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ name: 'Alpha' }));

    const forecast = screen.getByRole('region', { name: 'Weighted forecast' });
    expect(within(forecast).getByRole('img', { name: 'Weighted forecast by expected close month' })).toBeTruthy();
    // Alpha closes this month at 20 %, Beta next month at 10 %.
    const rows = within(forecast).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows[0]).toBe('2026-11$2,000$10,000');
    expect(rows[1]).toBe('2026-12$2,000$20,000');
    expect(forecast.textContent).toContain('Total $4,000');

    const conv = screen.getByRole('region', { name: 'Stage conversion and time' });
    const row = (name: string) => within(conv).getByRole('rowheader', { name }).closest('tr')!.textContent;
    // Lead: 4 entered, 2 went on (Alpha, Won one); avg 10 days over its 3 finished visits.
    expect(row('Lead in')).toBe('Lead in450%10');
    expect(row('Discovery')).toBe('Discovery250%10');
    expect(row('Won')).toBe('Won1––');

    const src = screen.getByRole('region', { name: 'Won revenue by lead source' });
    expect(src.textContent).toContain('Referral$30,000 · 1 deal');
    expect(src.textContent).not.toContain('Webinar');
  });

  it('has an empty state', async () => {
    await ensureDefaults();
    renderAt(<PipelineView onOpenDeal={() => {}} />);
    expect(await screen.findByText('No deals yet')).toBeTruthy();
  });
});
