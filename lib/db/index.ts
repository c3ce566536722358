import { abortCause } from './abort-cause';
import { ThreadlineDB } from './schema';

/**
 * The one database handle. Only the background and extension pages import it:
 * a content script's IndexedDB belongs to the web page's origin.
 */
export const db = new ThreadlineDB().use(abortCause);
export { ThreadlineDB } from './schema';
export type { TimelineLink, SyncConflict, StoredCredential, Searchable, RemoteMapRow } from './schema';
