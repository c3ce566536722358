import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { Plus, Trash2 } from 'lucide-react';
import { db } from '@/lib/db';
import { savePipeline } from '@/lib/db/mutations';
import { defaultPipeline, orderedStages } from '@/lib/domain/pipeline';
import { deletePipeline, setDefaultPipeline } from '@/lib/io';
import type { Pipeline } from '@/lib/model';
import { Button, Dialog, EmptyState, ErrorBanner, Loading, Select, errorText } from '@/components/ui';
import { PipelineEditor } from './PipelineEditor';
import type { DealsPerStage } from './pipeline-rules';
import { Section } from './Section';

async function loadPipelines(): Promise<{ pipelines: Pipeline[]; deals: Map<string, DealsPerStage> }> {
  const [pipelines, deals] = await Promise.all([db.pipelines.toArray(), db.deals.toArray()]);
  const counts = new Map<string, DealsPerStage>();
  for (const d of deals) {
    if (d.deletedAt) continue;
    const m = counts.get(d.pipelineId) ?? new Map<string, number>();
    m.set(d.stageId, (m.get(d.stageId) ?? 0) + 1);
    counts.set(d.pipelineId, m);
  }
  pipelines.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));
  return { pipelines, deals: counts };
}

export function PipelinesSection() {
  const data = useLiveQuery(loadPipelines, []);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const body = () => {
    if (!data) return <Loading label="Loading pipelines…" />;
    if (!data.pipelines.length) {
      return (
        <EmptyState title="No pipeline yet" action={<Button variant="primary" onClick={() => void run(async () => void (await savePipeline(defaultPipeline())))}>Add the default sales pipeline</Button>}>
          Deals need a pipeline to move through.
        </EmptyState>
      );
    }
    const current = data.pipelines.find((p) => p.id === selected) ?? data.pipelines[0]!;
    const dealCount = [...(data.deals.get(current.id)?.values() ?? [])].reduce((a, b) => a + b, 0);
    return (
      <>
        <div className="flex flex-wrap items-end gap-2">
          <Select label="Pipeline" value={current.id} onChange={(e) => setSelected(e.target.value)} className="min-w-48">
            {data.pipelines.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.isDefault ? ' (default)' : ''}
              </option>
            ))}
          </Select>
          <Button
            icon={<Plus aria-hidden="true" className="size-4" />}
            busy={busy}
            onClick={() =>
              void run(async () => {
                const p = await savePipeline({ ...defaultPipeline(), id: crypto.randomUUID(), name: 'New pipeline', isDefault: false });
                setSelected(p.id);
              })
            }
          >
            New pipeline
          </Button>
          {!current.isDefault && (
            <Button busy={busy} onClick={() => void run(() => setDefaultPipeline(current.id))}>
              Make default
            </Button>
          )}
          <Button
            variant="ghost"
            icon={<Trash2 aria-hidden="true" className="size-4" />}
            disabled={data.pipelines.length === 1 || dealCount > 0}
            title={dealCount > 0 ? 'Pipelines holding deals cannot be deleted' : data.pipelines.length === 1 ? 'Keep at least one pipeline' : undefined}
            onClick={() => setConfirmDelete(true)}
          >
            Delete pipeline
          </Button>
        </div>
        <PipelineEditor key={current.id} saved={{ ...current, stages: orderedStages(current) }} deals={data.deals.get(current.id) ?? new Map()} />
        <Dialog
          open={confirmDelete}
          onClose={() => setConfirmDelete(false)}
          title={`Delete “${current.name}”?`}
          description="It holds no deals. This cannot be undone."
          footer={
            <>
              <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
              <Button
                variant="danger"
                busy={busy}
                onClick={() =>
                  void run(async () => {
                    await deletePipeline(current.id);
                    setSelected(null);
                    setConfirmDelete(false);
                  })
                }
              >
                Delete pipeline
              </Button>
            </>
          }
        >
          <p>Deals elsewhere are not affected.</p>
        </Dialog>
      </>
    );
  };

  return (
    <Section id="pipelines" title="Pipelines and stages" description="The stages a deal moves through, what each must prove before a deal enters it, and when a deal there counts as stale.">
      {error && <ErrorBanner onDismiss={() => setError(null)}>{error}</ErrorBanner>}
      {body()}
    </Section>
  );
}
