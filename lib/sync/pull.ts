import { z } from 'zod';
import { db } from '@/lib/db';
import { savePipeline } from '@/lib/db/mutations';
import type { Pipeline } from '@/lib/model';
import { fitsModel, mergeRecord, type MergeOutcome } from './merge';
import { getKV, keys } from './store';
import type { PullCursor } from './store';
import type { Clock, CrmProvider, RemotePipeline } from './types';

const MERGE_TABLES = () => [db.contacts, db.companies, db.deals, db.activities, db.timeline, db.tasks, db.pipelines, db.outbox, db.remoteMap, db.conflicts, db.syncState];

/**
 * Pulls each kind from its watermark, page by page. A page's merges and the cursor that
 * follows it commit together: a killed worker re-reads at most the page it was on.
 */
export async function pullChanges(provider: CrmProvider, clock: Clock, signal?: AbortSignal): Promise<MergeOutcome> {
  const pid = provider.id;
  const out: MergeOutcome = { created: 0, updated: 0, deleted: 0, conflicts: 0, skipped: 0 };
  for (const kind of provider.pullKinds) {
    let cur: PullCursor = (await getKV<PullCursor>(keys.cursor(pid, kind))) ?? { since: 0, page: null, maxSeen: 0 };
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const page = await provider.pull(kind, cur.since, cur.page, signal);
      const maxSeen = Math.max(cur.maxSeen, ...page.records.map((r) => r.updatedAt));
      const next: PullCursor = page.next ? { since: cur.since, page: page.next, maxSeen } : { since: Math.max(cur.since, maxSeen), page: null, maxSeen };
      await db.transaction('rw', MERGE_TABLES(), async () => {
        for (const r of page.records) {
          if (!fitsModel(r)) {
            out.skipped++;
            continue;
          }
          try {
            await mergeRecord(pid, r, out, clock.now());
          } catch (e) {
            // What fitsModel cannot see (a value only invalid once merged with ours) and that
            // fails a parse outside a nested transaction: skip it rather than fail the page, or
            // one such record in the CRM would stop every pull after it, run after run.
            if (!(e instanceof z.ZodError)) throw e;
            out.skipped++;
          }
        }
        await db.syncState.put({ key: keys.cursor(pid, kind), value: next });
      });
      cur = next;
      if (!page.next) break;
    }
  }
  return out;
}

/** The CRM's pipelines become local ones (id `<provider>:<remote id>`); stage ids stay the CRM's. */
export async function importPipelines(provider: CrmProvider, signal?: AbortSignal): Promise<number> {
  const remote = await provider.listPipelines(signal);
  for (const rp of remote) await savePipeline(toLocal(provider.id, rp, await db.pipelines.get(`${provider.id}:${rp.id}`)));
  return remote.length;
}

function toLocal(pid: string, rp: RemotePipeline, prev?: Pipeline): Pipeline {
  const stages = [...rp.stages].sort((a, b) => a.order - b.order);
  return {
    id: `${pid}:${rp.id}`,
    name: rp.label.slice(0, 80) || 'Pipeline',
    isDefault: prev?.isDefault ?? false,
    remoteIds: { [pid]: rp.id },
    stages: stages.map((s, i) => {
      const old = prev?.stages.find((x) => x.id === s.id);
      const outcome = s.outcome ?? 'open';
      return {
        id: s.id,
        name: s.label.slice(0, 80) || s.id,
        order: i,
        probability: s.probability ?? (outcome === 'won' ? 1 : outcome === 'lost' ? 0 : Math.min(0.9, (i + 1) / (stages.length + 1))),
        // Local-only stage rules survive a re-import.
        requiredEvidence: old?.requiredEvidence ?? [],
        staleAfterDays: old?.staleAfterDays ?? 14,
        outcome,
      };
    }),
  };
}
