/** The benchmark page's module: the engine over Chromium's own IndexedDB. */
export { pushActivities } from './push-bench';
