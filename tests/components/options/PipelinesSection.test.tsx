import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { PipelinesSection } from '@/components/options/PipelinesSection';
import { pipelineProblems } from '@/components/options/pipeline-rules';
import { db } from '@/lib/db';
import { createContact, createDeal, ensureDefaults } from '@/lib/db/mutations';
import { defaultPipeline } from '@/lib/domain/pipeline';
import './helpers';

const stored = async () => (await db.pipelines.get('default'))!;

async function renderEditor() {
  await ensureDefaults();
  render(<PipelinesSection />);
  return screen.findByRole('form', { name: 'Edit pipeline Sales' });
}

describe('PipelinesSection', () => {
  it('edits probability, stale limit and evidence, and saves a valid pipeline', async () => {
    const form = await renderEditor();
    const discovery = within(form).getByRole('listitem', { name: 'Stage 2: Discovery' });
    fireEvent.change(within(discovery).getByLabelText('Win probability (%)'), { target: { value: '25' } });
    fireEvent.change(within(discovery).getByLabelText('Stale after (days)'), { target: { value: '21' } });
    fireEvent.click(within(discovery).getByLabelText('budget'));
    expect(screen.getByRole('status').textContent).toBe('Unsaved changes');
    fireEvent.click(screen.getByRole('button', { name: 'Save pipeline' }));
    await waitFor(async () => expect((await stored()).stages[1]).toMatchObject({ id: 'discovery', probability: 0.25, staleAfterDays: 21, requiredEvidence: ['need', 'budget'] }));
  });

  it('keeps Save disabled and names the problem while the draft is invalid', async () => {
    const form = await renderEditor();
    const lead = within(form).getByRole('listitem', { name: 'Stage 1: Lead in' });
    fireEvent.change(within(lead).getByLabelText('Win probability (%)'), { target: { value: '150' } });
    expect(within(lead).getByText('Win probability must be between 0% and 100%.')).toBeTruthy();
    fireEvent.change(within(lead).getByLabelText('Stage 1 name'), { target: { value: 'Discovery' } });
    expect(within(lead).getByText('Another stage is also called "Discovery".')).toBeTruthy();
    expect(within(form).getAllByText('Another stage is also called "Discovery".')).toHaveLength(2);
    expect((screen.getByRole('button', { name: 'Save pipeline' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('status').textContent).toBe('Fix 3 problems to save.');
    fireEvent.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect((within(form).getByRole('listitem', { name: 'Stage 1: Lead in' }) as HTMLElement)).toBeTruthy();
    expect(await stored()).toEqual(defaultPipeline());
  });

  it('reorders, adds and removes stages; orders follow the list', async () => {
    await renderEditor();
    fireEvent.click(screen.getByRole('button', { name: 'Move Qualified up' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add stage' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove Negotiation' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save pipeline' }));
    await waitFor(async () =>
      expect((await stored()).stages.map((s) => [s.id, s.order])).toEqual([
        ['lead', 0],
        ['qualified', 1],
        ['discovery', 2],
        ['proposal', 3],
        ['new-stage-8', 4],
        ['won', 5],
        ['lost', 6],
      ]),
    );
  });

  it('refuses to remove a stage or change its outcome while deals sit in it', async () => {
    await ensureDefaults();
    const c = await createContact({ emails: ['a@x.com'], source: { origin: 'manual' } });
    await createDeal({ name: 'D', pipelineId: 'default', stageId: 'proposal', contactIds: [c.id] });
    render(<PipelinesSection />);
    const form = await screen.findByRole('form', { name: 'Edit pipeline Sales' });
    await within(form).findByText('1 deal here now.');
    expect((screen.getByRole('button', { name: 'Remove Proposal' }) as HTMLButtonElement).disabled).toBe(true);
    const proposal = within(form).getByRole('listitem', { name: 'Stage 4: Proposal' });
    fireEvent.change(within(proposal).getByLabelText('Outcome'), { target: { value: 'lost' } });
    expect(within(proposal).getByText('1 deal is in this stage, so its outcome cannot change.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save pipeline' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Delete pipeline' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('creates a second pipeline, makes it default, and deletes it after confirming', async () => {
    await renderEditor();
    fireEvent.click(screen.getByRole('button', { name: 'New pipeline' }));
    const form = await screen.findByRole('form', { name: 'Edit pipeline New pipeline' });
    fireEvent.change(within(form).getByLabelText('Pipeline name'), { target: { value: 'Renewals' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save pipeline' }));
    await screen.findByRole('form', { name: 'Edit pipeline Renewals' });
    fireEvent.click(screen.getByRole('button', { name: 'Make default' }));
    await waitFor(async () => expect((await db.pipelines.filter((p) => p.isDefault).toArray()).map((p) => p.name)).toEqual(['Renewals']));

    fireEvent.click(await screen.findByRole('button', { name: 'Delete pipeline' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete “Renewals”?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete pipeline' }));
    await waitFor(async () => expect((await db.pipelines.toArray()).map((p) => [p.id, p.isDefault])).toEqual([['default', true]]));
  });

  it('offers the default pipeline when none exists', async () => {
    render(<PipelinesSection />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add the default sales pipeline' }));
    await screen.findByRole('form', { name: 'Edit pipeline Sales' });
  });
});

describe('pipelineProblems', () => {
  it('requires an open stage', () => {
    const p = defaultPipeline();
    const closedOnly = { ...p, stages: p.stages.filter((s) => s.outcome !== 'open') };
    expect(pipelineProblems(closedOnly, p, new Map()).map((x) => x.message)).toContain('Keep at least one open stage: new deals start in one.');
  });
});
