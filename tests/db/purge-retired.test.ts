import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { RETIRED_KEEP_MS, applyNudgeWrites, completeTask, purgeRetiredNudges } from '@/lib/db/mutations';

const T0 = Date.UTC(2026, 9, 1, 9);
const DAY = 86_400_000;
const nudge = (key: string) => ({ ruleKey: key, kind: 'stale_deal' as const, title: key, dueAt: T0 });
const byTitle = async (title: string) => db.tasks.filter((t) => t.title === title).first();
const queuedFor = async (id: string) => db.outbox.where('[entity+entityId]').equals(['task', id]).count();

describe('purging retired nudges', () => {
  it('drops old tombstones, waits for a CRM to hear of the deletion, and keeps done, recent and live nudges', async () => {
    await applyNudgeWrites({ create: ['local', 'synced', 'done', 'recent', 'live'].map((k) => nudge(`stale_deal:${k}:1`)), retire: [] }, { now: T0 });
    const synced = (await byTitle('stale_deal:synced:1'))!;
    // What a push would have left: the remote id on the record and in the id map.
    await db.tasks.update(synced.id, { remoteIds: { hubspot: '901' } });
    await db.remoteMap.put({ providerId: 'hubspot', kind: 'task', localId: synced.id, remoteId: '901' });
    await db.outbox.where('[entity+entityId]').equals(['task', synced.id]).delete();
    await completeTask((await byTitle('stale_deal:done:1'))!.id, { now: T0 + 1 });

    await applyNudgeWrites({ create: [], retire: ['stale_deal:local:1', 'stale_deal:synced:1', 'stale_deal:done:1'] }, { now: T0 + DAY });
    await applyNudgeWrites({ create: [], retire: ['stale_deal:recent:1'] }, { now: T0 + 20 * DAY });
    const local = (await byTitle('stale_deal:local:1'))!;
    expect(local.deletedAt).toBe(T0 + DAY);
    expect(await queuedFor(local.id)).toBe(2); // its upsert and its delete, never pushed
    expect(await queuedFor(synced.id)).toBe(1); // the delete the CRM has not received yet

    const later = T0 + DAY + RETIRED_KEEP_MS + 1;
    // The CRM has not had the deletion: that tombstone stays, the never-synced one goes with its rows.
    expect(await purgeRetiredNudges(later)).toBe(1);
    expect(await db.tasks.get(local.id)).toBeUndefined();
    expect(await queuedFor(local.id)).toBe(0);
    expect(await db.tasks.get(synced.id)).toMatchObject({ deletedAt: T0 + DAY });

    // The push delivered the deletion: now it goes, with its id-map row.
    await db.outbox.where('[entity+entityId]').equals(['task', synced.id]).delete();
    expect(await purgeRetiredNudges(later)).toBe(1);
    expect(await db.tasks.get(synced.id)).toBeUndefined();
    expect(await db.remoteMap.where('[providerId+kind+localId]').equals(['hubspot', 'task', synced.id]).count()).toBe(0);

    // Done stays (the rep acted), retired-but-recent stays, the live one is untouched.
    expect((await byTitle('stale_deal:done:1'))?.status).toBe('done');
    expect((await byTitle('stale_deal:recent:1'))?.deletedAt).toBe(T0 + 20 * DAY);
    expect(await byTitle('stale_deal:live:1')).toMatchObject({ status: 'open', ruleKey: 'stale_deal:live:1' });
    expect(await db.ruleKeys.get('stale_deal:live:1')).toBeTruthy();
    expect(await purgeRetiredNudges(later)).toBe(0);
  });
});
