import { db } from '@/lib/db';
import { ensureDefaults } from '@/lib/db/mutations';

/**
 * Clears every table, CRM connection included, and puts back the default pipeline and settings,
 * in one transaction: a failed reset leaves the data as it was. Settings come back un-onboarded,
 * so the first-run setup shows again.
 */
export async function resetAll(): Promise<void> {
  await db.transaction('rw', db.tables, async () => {
    await Promise.all(db.tables.map((t) => t.clear()));
    await ensureDefaults();
  });
}
