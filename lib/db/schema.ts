import Dexie, { type EntityTable, type Table } from 'dexie';
import type { Activity, Company, Contact, Deal, OutboxEntry, Pipeline, Settings, Task } from '@/lib/model';
import { derivedIndexes, rebuildDerived, type ContactIndexFields, type RuleKeyRow } from './derived';

/** One row per (activity, contact): a contact's timeline is a range scan on [contactId+occurredAt]. */
export interface TimelineLink {
  activityId: string;
  contactId: string;
  occurredAt: number;
  kind: Activity['kind'];
}

export interface KeyValue<T = unknown> {
  key: string;
  value: T;
}

/** Derived, lower-cased search words; an index, never shown. */
export type Searchable<T> = T & { terms?: string[] };

export const DB_NAME = 'threadline';

/**
 * Every schema change is a new version with an upgrade function; `tests/db/migrations.test.ts`
 * opens a database filled at each earlier version and proves nothing is lost.
 */
export const SCHEMA_V1 = {
  contacts: 'id, &*emails, companyId, updatedAt, lastTouchedAt',
  companies: 'id, &domain',
  deals: 'id, *contactIds, [status+stageId], pipelineId, updatedAt',
  activities: 'id, &externalKey, *contactIds, occurredAt, dealId',
  tasks: 'id, [status+dueAt], contactId, dealId, &ruleKey',
  pipelines: 'id',
  outbox: '++seq, [entity+entityId]',
  settings: 'key',
} as const;

export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  contacts: 'id, &*emails, companyId, updatedAt, lastTouchedAt, *terms',
  companies: 'id, &domain, *terms',
  deals: 'id, *contactIds, [status+stageId], pipelineId, updatedAt, *terms',
  // The multi-entry contactIds index could not order by time; the timeline table does.
  activities: 'id, &externalKey, occurredAt, [dealId+occurredAt]',
  timeline: '[activityId+contactId], [contactId+occurredAt], activityId',
  syncState: 'key',
  conflicts: '++id, [entity+entityId]',
  /** CRM tokens: IndexedDB of the extension origin is out of every content script's reach. */
  credentials: 'providerId',
} as const;

/** Sync: remote id ↔ local id per CRM, so a pulled record finds its local twin by index. */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  remoteMap: '[providerId+kind+remoteId], [providerId+kind+localId]',
} as const;

/**
 * Nudges read facts, not activities (see derived.ts): contacts are found by an unanswered
 * outbound email and by a customer's silence; live rule keys get a table of their own.
 */
export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  contacts: 'id, &*emails, companyId, updatedAt, lastTouchedAt, *terms, awaitingReplySince, customerQuietSince',
  ruleKeys: 'ruleKey',
} as const;

export interface RemoteMapRow {
  providerId: string;
  kind: OutboxEntry['entity'];
  localId: string;
  remoteId: string;
  /** The CRM's last-modified time we merged, so an older or echoed page is skipped. */
  remoteUpdatedAt?: number;
}

export function termsFor(...parts: (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const p of parts) {
    if (!p) continue;
    const lower = p.toLowerCase();
    for (const w of lower.split(/[\s,;<>()"'|]+/)) {
      if (!w) continue;
      out.add(w.slice(0, 60));
      // An address is found by its local part and by its domain too.
      const at = w.indexOf('@');
      if (at > 0) {
        out.add(w.slice(0, at));
        out.add(w.slice(at + 1));
      }
    }
  }
  return [...out];
}

export function contactTerms(c: Pick<Contact, 'name' | 'emails'>): string[] {
  return termsFor(c.name, ...c.emails);
}

export class ThreadlineDB extends Dexie {
  contacts!: EntityTable<Searchable<Contact> & ContactIndexFields, 'id'>;
  companies!: EntityTable<Searchable<Company>, 'id'>;
  deals!: EntityTable<Searchable<Deal>, 'id'>;
  activities!: EntityTable<Activity, 'id'>;
  timeline!: Table<TimelineLink, [string, string]>;
  tasks!: EntityTable<Task, 'id'>;
  pipelines!: EntityTable<Pipeline, 'id'>;
  outbox!: Table<OutboxEntry, number>;
  settings!: Table<KeyValue<Settings>, string>;
  syncState!: Table<KeyValue, string>;
  conflicts!: Table<SyncConflict, number>;
  credentials!: Table<StoredCredential, string>;
  remoteMap!: Table<RemoteMapRow, [string, string, string]>;
  ruleKeys!: Table<RuleKeyRow, string>;

  constructor(name = DB_NAME) {
    super(name);
    this.use(derivedIndexes);
    this.version(1).stores(SCHEMA_V1);
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade(async (tx) => {
        await tx
          .table('activities')
          .toCollection()
          .each((a: Activity) =>
            tx.table('timeline').bulkPut(
              a.contactIds.map((contactId) => ({ activityId: a.id, contactId, occurredAt: a.occurredAt, kind: a.kind })),
            ),
          );
        await tx
          .table('contacts')
          .toCollection()
          .modify((c: Searchable<Contact>) => {
            c.terms = contactTerms(c);
          });
        await tx
          .table('companies')
          .toCollection()
          .modify((c: Searchable<Company>) => {
            c.terms = termsFor(c.name, c.domain);
          });
        await tx
          .table('deals')
          .toCollection()
          .modify((d: Searchable<Deal>) => {
            d.terms = termsFor(d.name);
          });
      });
    this.version(3)
      .stores(SCHEMA_V3)
      .upgrade(async (tx) => {
        // Ids stored on records before v3 become map rows, so pulls keep matching them.
        const kinds = [['contacts', 'contact'], ['companies', 'company'], ['deals', 'deal'], ['activities', 'activity'], ['tasks', 'task']] as const;
        for (const [table, kind] of kinds) {
          await tx
            .table(table)
            .toCollection()
            .each((r: { id: string; remoteIds?: Record<string, string> }) =>
              tx.table('remoteMap').bulkPut(Object.entries(r.remoteIds ?? {}).map(([providerId, remoteId]) => ({ providerId, kind, localId: r.id, remoteId }))),
            );
        }
      });
    this.version(4)
      .stores(SCHEMA_V4)
      .upgrade((tx) => rebuildDerived((name) => tx.table(name)));
  }
}

export interface SyncConflict {
  id?: number;
  entity: OutboxEntry['entity'];
  entityId: string;
  providerId: string;
  field: string;
  local: unknown;
  remote: unknown;
  detectedAt: number;
  resolvedAt?: number;
}

export interface StoredCredential {
  providerId: string;
  kind: 'token' | 'oauth';
  secret: string;
  baseUrl?: string;
  accountName?: string;
  connectedAt: number;
}
