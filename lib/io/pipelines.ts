import { db } from '@/lib/db';
import { savePipeline } from '@/lib/db/mutations';
import { AppError } from '@/lib/errors';
import type { Pipeline } from '@/lib/model';

/*
 * Pipeline housekeeping the options page needs beyond `savePipeline`: both change several
 * pipelines at once, so each runs in one transaction and never leaves zero or two defaults.
 */

export async function setDefaultPipeline(id: string): Promise<void> {
  await db.transaction('rw', db.pipelines, async () => {
    const all = await db.pipelines.toArray();
    if (!all.some((p) => p.id === id)) throw new AppError('not_found', 'That pipeline no longer exists.');
    for (const p of all) if (p.isDefault !== (p.id === id)) await savePipeline({ ...p, isDefault: p.id === id });
  });
}

export async function deletePipeline(id: string): Promise<void> {
  await db.transaction('rw', db.pipelines, db.deals, async () => {
    const all = await db.pipelines.toArray();
    const target = all.find((p) => p.id === id);
    if (!target) return;
    if (all.length === 1) throw new AppError('bad_request', 'Keep at least one pipeline.');
    const deals = (await db.deals.where('pipelineId').equals(id).toArray()).filter((d) => !d.deletedAt).length;
    if (deals) throw new AppError('conflict', `“${target.name}” still holds ${deals} deal${deals === 1 ? '' : 's'}.`);
    await db.pipelines.delete(id);
    if (target.isDefault) {
      const heir = all.find((p) => p.id !== id) as Pipeline;
      await savePipeline({ ...heir, isDefault: true });
    }
  });
}
