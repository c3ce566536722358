/** Public surface of lib/sync for the rest of the extension. */
export { wireSync, SYNC_ALARM } from './schedule';
export { syncStateOf, type ItemSyncState } from './status';
export { runSync, type RunReport } from './engine';
export { PROVIDERS, providerFactory } from './registry';
export type { SyncKind, CrmProvider } from './types';
