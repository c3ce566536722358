import { z } from 'zod';
import { db } from '@/lib/db';
import { rebuildDerived } from '@/lib/db/derived';
import { contactTerms, termsFor } from '@/lib/db/schema';
import { type WriteOptions } from '@/lib/db/mutations';
import { Activity, Company, Contact, Deal, Pipeline, Settings, Task, type EntityKind } from '@/lib/model';
import { ImportRejected, type ImportIssue, type ProgressFn } from './issues';
import { forgetPullWatermarks } from '@/lib/sync/store';

export const BACKUP_FORMAT = 'threadline-backup';
export const BACKUP_VERSION = 1;

const MAX_ROWS = 1_000_000;
/** Larger files are refused before they are read: a backup of a very large store is well under this. */
export const MAX_BACKUP_BYTES = 500 * 1024 * 1024;

export const BackupData = z.object({
  contacts: z.array(Contact).max(MAX_ROWS),
  companies: z.array(Company).max(MAX_ROWS),
  deals: z.array(Deal).max(MAX_ROWS),
  activities: z.array(Activity).max(MAX_ROWS),
  tasks: z.array(Task).max(MAX_ROWS),
  pipelines: z.array(Pipeline).min(1).max(1000),
  settings: Settings,
});
export type BackupData = z.infer<typeof BackupData>;

/** The versioned envelope: a future version is refused rather than half-understood. */
export const Backup = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  exportedAt: z.string().datetime(),
  data: BackupData,
});
export type Backup = z.infer<typeof Backup>;

const stripTerms = <T extends { terms?: string[] }>(r: T): Omit<T, 'terms'> => {
  const { terms: _t, ...rest } = r;
  return rest;
};

/** A contact's index-only fields (schema v4 middleware) are recomputed on write: not the user's data. */
const stripContactIndexes = <T extends { terms?: string[] }>(r: T) => {
  const { awaitingReplySince: _a, customerQuietSince: _q, ...rest } = stripTerms(r) as Omit<T, 'terms'> & { awaitingReplySince?: number; customerQuietSince?: number };
  return rest;
};

/** Everything the user owns, without derived indexes (search terms, timeline links, outbox). */
export async function exportBackup(o?: WriteOptions): Promise<Backup> {
  return db.transaction('r', [db.contacts, db.companies, db.deals, db.activities, db.tasks, db.pipelines, db.settings], async () => {
    const [contacts, companies, deals, activities, tasks, pipelines, settings] = await Promise.all([
      db.contacts.toArray(),
      db.companies.toArray(),
      db.deals.toArray(),
      db.activities.toArray(),
      db.tasks.toArray(),
      db.pipelines.toArray(),
      db.settings.get('settings'),
    ]);
    return {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      exportedAt: new Date(o?.now ?? Date.now()).toISOString(),
      data: {
        contacts: contacts.map(stripContactIndexes),
        companies: companies.map(stripTerms),
        deals: deals.map(stripTerms),
        activities,
        tasks,
        pipelines,
        settings: settings?.value ?? Settings.parse({}),
      },
    };
  });
}

export function backupFileName(b: Pick<Backup, 'exportedAt'>): string {
  return `threadline-backup-${b.exportedAt.slice(0, 10)}.json`;
}

/**
 * Validates a backup file completely before anything is written: JSON syntax, envelope, every
 * record, and the references and unique keys the store enforces. Throws ImportRejected.
 */
export function parseBackup(text: string, limits: { maxChars?: number } = {}): Backup {
  const max = limits.maxChars ?? MAX_BACKUP_BYTES;
  if (text.length > max) {
    throw new ImportRejected([{ line: 0, message: `the file is larger than the ${Math.round(max / 1024 / 1024)} MB limit for a backup` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ImportRejected([{ line: 0, message: `the file is not valid JSON (${e instanceof Error ? e.message : String(e)})` }]);
  }
  const env = raw as { format?: unknown; version?: unknown } | null;
  if (!env || typeof env !== 'object' || env.format !== BACKUP_FORMAT) {
    throw new ImportRejected([{ line: 0, message: 'this is not a Threadline backup (its "format" is not "threadline-backup")' }]);
  }
  if (typeof env.version === 'number' && env.version > BACKUP_VERSION) {
    throw new ImportRejected([{ line: 0, message: `this backup was made by a newer Threadline (format version ${env.version}); update the extension first` }]);
  }
  const parsed = Backup.safeParse(raw);
  if (!parsed.success) {
    throw new ImportRejected(
      parsed.error.issues.slice(0, 50).map((i) => ({ line: 0, field: i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, ''), message: i.message })),
    );
  }
  const issues = integrityIssues(parsed.data.data);
  if (issues.length) throw new ImportRejected(issues);
  return parsed.data;
}

function integrityIssues(d: BackupData): ImportIssue[] {
  const issues: ImportIssue[] = [];
  const unique = <T>(table: string, rows: T[], keysOf: (r: T) => (string | undefined)[], what: string) => {
    const seen = new Map<string, number>();
    rows.forEach((r, i) => {
      for (const k of keysOf(r)) {
        if (k === undefined) continue;
        const prev = seen.get(k);
        if (prev !== undefined && prev !== i) issues.push({ line: 0, field: `data.${table}[${i}]`, message: `${what} "${k}" is also used by data.${table}[${prev}]` });
        else seen.set(k, i);
      }
    });
  };
  unique('contacts', d.contacts, (c) => [c.id], 'id');
  unique('contacts', d.contacts, (c) => c.emails, 'address');
  unique('companies', d.companies, (c) => [c.id], 'id');
  unique('companies', d.companies, (c) => [c.domain], 'domain');
  unique('deals', d.deals, (x) => [x.id], 'id');
  unique('activities', d.activities, (a) => [a.id], 'id');
  unique('activities', d.activities, (a) => [a.externalKey], 'external key');
  unique('tasks', d.tasks, (t) => [t.id], 'id');
  unique('tasks', d.tasks, (t) => [t.ruleKey], 'rule key');
  unique('pipelines', d.pipelines, (p) => [p.id], 'id');
  const pipelines = new Map(d.pipelines.map((p) => [p.id, p]));
  d.deals.forEach((deal, i) => {
    const p = pipelines.get(deal.pipelineId);
    if (!p) issues.push({ line: 0, field: `data.deals[${i}].pipelineId`, message: `no pipeline "${deal.pipelineId}" in the backup` });
    else if (!p.stages.some((s) => s.id === deal.stageId)) issues.push({ line: 0, field: `data.deals[${i}].stageId`, message: `pipeline "${p.name}" has no stage "${deal.stageId}"` });
  });
  return issues.slice(0, 50);
}

export interface RestoreResult {
  counts: Record<'contacts' | 'companies' | 'deals' | 'activities' | 'tasks' | 'pipelines', number>;
}

/**
 * Replaces the local data with a backup in ONE transaction. Records that never reached a CRM
 * (no remote ids) are queued again, so a connected CRM still receives them; the rest are already there.
 */
export async function restoreBackup(b: Backup, opts: WriteOptions & { onProgress?: ProgressFn; chunkSize?: number } = {}): Promise<RestoreResult> {
  const chunk = opts.chunkSize ?? 500;
  const d = b.data;
  const total = d.contacts.length + d.companies.length + d.deals.length + d.activities.length + d.tasks.length;
  const at = opts.now ?? Date.now();
  let done = 0;
  const tables = [db.contacts, db.companies, db.deals, db.activities, db.timeline, db.tasks, db.ruleKeys, db.pipelines, db.settings, db.outbox, db.conflicts];
  await db.transaction('rw', [...tables, db.remoteMap, db.syncState], async () => {
    await Promise.all(tables.map((t) => t.clear()));
    // The pull watermarks go too: CRM changes older than the watermark but newer than the backup
    // were merged into the data just replaced, and only a full pull brings them back. The
    // connection, failures and status stay.
    await forgetPullWatermarks();
    // The id map follows the records: rows for replaced records would point at nothing, and a
    // restored record a CRM already holds must be found again by its remote id, or the next
    // pull would create its twin. (The merge watermark is not in the file: the full pull
    // after a restore compares those records again.)
    await db.remoteMap.clear();
    opts.onProgress?.(0, total);
    const put = async <T extends { id: string; remoteIds: Record<string, string> }>(entity: EntityKind, rows: T[], write: (slice: T[]) => Promise<unknown>) => {
      for (let i = 0; i < rows.length; i += chunk) {
        const slice = rows.slice(i, i + chunk);
        await write(slice);
        const links = slice.flatMap((r) => Object.entries(r.remoteIds).map(([providerId, remoteId]) => ({ providerId, kind: entity, localId: r.id, remoteId })));
        if (links.length) await db.remoteMap.bulkPut(links);
        if (opts.origin !== 'remote') {
          const fresh = slice.filter((r) => Object.keys(r.remoteIds).length === 0);
          if (fresh.length) await db.outbox.bulkAdd(fresh.map((r) => ({ entity, entityId: r.id, op: 'upsert' as const, at })));
        }
        done += slice.length;
        opts.onProgress?.(done, total);
      }
    };
    await db.pipelines.bulkAdd(d.pipelines);
    await db.settings.put({ key: 'settings', value: d.settings });
    await put('company', d.companies, (s) => db.companies.bulkAdd(s.map((c) => ({ ...c, terms: termsFor(c.name, c.domain) }))));
    await put('contact', d.contacts, (s) => db.contacts.bulkAdd(s.map((c) => ({ ...c, terms: contactTerms(c) }))));
    await put('deal', d.deals, (s) => db.deals.bulkAdd(s.map((x) => ({ ...x, terms: termsFor(x.name) }))));
    await put('activity', d.activities, async (s) => {
      await db.activities.bulkAdd(s);
      // Deleted activities keep no timeline links, as deleteActivity leaves them.
      await db.timeline.bulkAdd(
        s.filter((a) => !a.deletedAt).flatMap((a) => a.contactIds.map((contactId) => ({ activityId: a.id, contactId, occurredAt: a.occurredAt, kind: a.kind }))),
      );
    });
    await put('task', d.tasks, (s) => db.tasks.bulkAdd(s));
    // Facts the nudges read are recounted from what was restored, never trusted from the file.
    await rebuildDerived((name) => db.table(name));
  });
  return {
    counts: { contacts: d.contacts.length, companies: d.companies.length, deals: d.deals.length, activities: d.activities.length, tasks: d.tasks.length, pipelines: d.pipelines.length },
  };
}

export async function importBackupJson(text: string, opts: WriteOptions & { onProgress?: ProgressFn } = {}): Promise<RestoreResult> {
  return restoreBackup(parseBackup(text), opts);
}
