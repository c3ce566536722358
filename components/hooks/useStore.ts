import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '@/lib/db';
import { getSettings, pipelines as allPipelines } from '@/lib/db/queries';
import { defaultPipeline } from '@/lib/domain/pipeline';
import type { Company, Contact, Pipeline, Settings } from '@/lib/model';

/**
 * Pipelines, never empty: before the background has seeded the store the default one stands in,
 * so a fresh install can still show stages.
 */
export function usePipelines(): Pipeline[] | undefined {
  return useLiveQuery(async () => {
    const ps = await allPipelines();
    return ps.length ? ps : [defaultPipeline()];
  }, []);
}

export function useSettings(): Settings | undefined {
  return useLiveQuery(getSettings, []);
}

/**
 * A contact by id; null once known to be missing or deleted, undefined while loading. A caller
 * that already holds the record passes it as `initial`, so the first paint needs no extra read.
 */
export function useContact(id: string | undefined, initial?: Contact): Contact | null | undefined {
  return useLiveQuery(
    async () => {
      if (!id) return null;
      const c = await db.contacts.get(id);
      if (!c || c.deletedAt) return null;
      const { terms: _t, ...rest } = c;
      return rest;
    },
    [id],
    initial?.id === id ? initial : undefined,
  );
}

export function useCompany(id: string | undefined): Company | null | undefined {
  return useLiveQuery(async () => {
    if (!id) return null;
    const c = await db.companies.get(id);
    if (!c || c.deletedAt) return null;
    const { terms: _t, ...rest } = c;
    return rest;
  }, [id]);
}
