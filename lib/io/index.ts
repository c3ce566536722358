/** Import, export, backup and reset: the options page's bulk writers, built on lib/db. */
export * from './issues';
export * from './mapping';
export * from './csv-parse';
export * from './contacts-csv';
export * from './csv-export';
export * from './backup';
export * from './reset';
export * from './download';
export * from './pipelines';
export * from './deals-csv';
