/** The only writers of the store. Each local write appends its outbox row in the same transaction. */
export * from './tx';
export * from './contacts';
export * from './activities';
export * from './deals';
export * from './tasks';
export * from './settings';
