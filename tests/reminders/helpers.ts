import { saveSettings } from '@/lib/db/mutations';
import type { Settings } from '@/lib/model';

export const iso = (s: string): number => Date.parse(s);

/** A rep in UTC who wants reminders at any hour, any day, unless a test says otherwise. */
export async function anyTimeSettings(patch: Partial<Settings['reminders']> = {}): Promise<void> {
  await saveSettings({
    reminders: {
      noReplyBusinessDays: 3,
      reEngageDays: 90,
      quietHours: null,
      workingDays: [0, 1, 2, 3, 4, 5, 6],
      timeZone: 'UTC',
      enabled: { noReply: true, staleDeal: true, overdueNextStep: true, reEngage: true, missingNextStep: true },
      ...patch,
    },
  });
}
