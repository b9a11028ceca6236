/** The directory import (`liaison import <kind> <file.csv>`) and the invites export. */
export { importCsvFile, importCsvText, parseImportKind, toCsvColumns, DIRECTORY_IMPORT_ACTION } from './import-csv.js';
export { exportInvites, type ExportInvitesOptions } from './invites-export.js';
export { bilingual, IMPORT_KINDS, type ImportKind, type ImportResult } from './types.js';
