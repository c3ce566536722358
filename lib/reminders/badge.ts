import { badgeApi } from './platform';

export function badgeText(dueCount: number): string {
  if (dueCount <= 0) return '';
  return dueCount > 99 ? '99+' : String(dueCount);
}

/** The due count on the toolbar icon (Chrome `action`, Firefox MV2 `browserAction`). */
export async function showDueCount(dueCount: number): Promise<void> {
  const api = badgeApi();
  if (!api) return;
  await api.setBadgeText({ text: badgeText(dueCount) });
  if (dueCount > 0) await api.setBadgeBackgroundColor({ color: '#b91c1c' });
}
