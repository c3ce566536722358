import { browser } from 'wxt/browser';

/**
 * What this browser's extension APIs can do. Firefox notifications have no buttons (its
 * `notifications.create` rejects `buttons`), and Firefox MV2 has `browserAction`, not `action`.
 * Mutable so tests can play Firefox.
 */
export const platform = {
  notificationButtons: !import.meta.env.FIREFOX,
  /** Chrome keeps a notification up until the rep acts on it; Firefox does not support this. */
  requireInteraction: !import.meta.env.FIREFOX,
  /** Firefox ignores `contextMessage` with a warning; leave it out there. */
  contextMessage: !import.meta.env.FIREFOX,
};

interface BadgeApi {
  setBadgeText(d: { text: string }): Promise<void>;
  setBadgeBackgroundColor(d: { color: string }): Promise<void>;
}

export function badgeApi(): BadgeApi | undefined {
  const b = browser as unknown as { action?: BadgeApi; browserAction?: BadgeApi };
  return b.action ?? b.browserAction;
}
