import { Pipeline, Settings } from '@/lib/model';
import { defaultPipeline } from '@/lib/domain/pipeline';
import { db } from '../index';

/** Settings and pipelines are local configuration: they never enter the outbox. */
export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  return db.transaction('rw', db.settings, async () => {
    const cur = (await db.settings.get('settings'))?.value ?? {};
    const next = Settings.parse({ ...cur, ...patch });
    await db.settings.put({ key: 'settings', value: next });
    return next;
  });
}

export async function savePipeline(p: Pipeline): Promise<Pipeline> {
  const next = Pipeline.parse(p);
  await db.pipelines.put(next);
  return next;
}

/** First run: a usable pipeline exists before the user configures anything. */
export async function ensureDefaults(): Promise<void> {
  await db.transaction('rw', db.pipelines, db.settings, async () => {
    if ((await db.pipelines.count()) === 0) await db.pipelines.add(defaultPipeline());
    if (!(await db.settings.get('settings'))) await db.settings.put({ key: 'settings', value: Settings.parse({}) });
  });
}
