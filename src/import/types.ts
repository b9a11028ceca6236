import { importEn } from '../../flows/copy/import-en.js';
import type { ImportCopy } from '../../flows/copy/import-types.js';
import { importVi } from '../../flows/copy/import-vi.js';

/**
 * What `liaison import <kind>` can load, in the order a new network needs them: the directory,
 * then the organisations' own policies (agencies' deadline periods, office hours).
 */
export type ImportKind = 'organisations' | 'topics' | 'outlets' | 'people' | 'contacts' | 'deadline-overrides' | 'office-hours';

/** Every {@link ImportKind}, in dependency order (organisations first). */
export const IMPORT_KINDS: readonly ImportKind[] = ['organisations', 'topics', 'outlets', 'people', 'contacts', 'deadline-overrides', 'office-hours'];

/**
 * Outcome of one import.
 * - `ok: true`: the whole file was applied in one transaction. `rows` counts data rows (blank
 *   lines excluded); `inserted` counts rows that created something (a record or a role), `updated`
 *   rows that only changed existing records; the rest were already up to date.
 * - `ok: false`: nothing was written. Each error reads `file:line: lý do / reason`, Vietnamese then
 *   English (line 1 is the header); errors about the file as a whole (unreadable, unknown kind)
 *   carry no line.
 */
export type ImportResult =
  | { ok: true; kind: ImportKind; inserted: number; updated: number; rows: number }
  | { ok: false; errors: string[] };

/** One data row of a CSV file: trimmed cells by lower-case column name, and its first physical line. */
export interface CsvRow {
  line: number;
  cells: Readonly<Record<string, string>>;
}

/** Why a file or row was refused, in the copy's language (`flows/copy/import-*.ts`). */
export type Reason = (copy: ImportCopy) => string;

/** `reason` in Vietnamese, then English, as every import message reads. */
export function bilingual(reason: Reason): string {
  return `${reason(importVi)} / ${reason(importEn)}`;
}

/** One error line about `fileLabel`: `file:line: lý do / reason`, or `file: …` without a line. */
export function fileError(fileLabel: string, reason: Reason, line?: number): string {
  return `${fileLabel}${line === undefined ? '' : `:${line}`}: ${bilingual(reason)}`;
}

/** Collects `file:line: lý do / reason` errors; {@link RowErrors.list} returns them sorted by line. */
export interface RowErrors {
  add(line: number, reason: Reason): void;
  /** An error about the whole file (no line number). */
  addFileError(reason: Reason): void;
  readonly count: number;
  list(): string[];
}

/** How a row compared with the database. */
export type RowOutcome = 'inserted' | 'updated' | 'unchanged';

/** What a kind's importer wrote; `detail` goes into the audit event only. */
export interface ImportCounts {
  inserted: number;
  updated: number;
  detail: Record<string, number>;
}

/** Creates an error collector whose messages are prefixed with `fileLabel`. */
export function createRowErrors(fileLabel: string): RowErrors {
  const entries: Array<{ line: number; seq: number; text: string }> = [];
  return {
    add(line, reason) { entries.push({ line, seq: entries.length, text: fileError(fileLabel, reason, line) }); },
    addFileError(reason) { entries.push({ line: 0, seq: entries.length, text: fileError(fileLabel, reason) }); },
    get count() { return entries.length; },
    list: () => [...entries].sort((a, b) => a.line - b.line || a.seq - b.seq).map((e) => e.text),
  };
}

/** Sums row outcomes into {@link ImportCounts}. */
export function toImportCounts(outcomes: readonly RowOutcome[], detail: Record<string, number>): ImportCounts {
  return {
    inserted: outcomes.filter((o) => o === 'inserted').length,
    updated: outcomes.filter((o) => o === 'updated').length,
    detail,
  };
}
