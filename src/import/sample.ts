import { readFile } from 'node:fs/promises';
import type { Db } from '../../db/client.js';
import { importCsvText } from './import-csv.js';
import { IMPORT_KINDS, type ImportKind } from './types.js';

/** What one sample file did. */
export interface SampleFileSummary {
  kind: ImportKind;
  file: string;
  rows: number;
  inserted: number;
  updated: number;
}

/** What {@link loadSampleNetwork} did, file by file, in import order. */
export interface SampleSummary {
  files: SampleFileSummary[];
}

/** The sample file of each kind, in `db/sample/` (data lives with the database; the loader in src). */
export const SAMPLE_FILES: Readonly<Record<ImportKind, string>> = {
  organisations: 'organisations.csv',
  topics: 'topics.csv',
  outlets: 'outlets.csv',
  people: 'people.csv',
  contacts: 'contacts.csv',
};

/**
 * Loads the sample press-liaison network of Thành phố Huế (after the 2025 reorganisation)
 * through the ordinary CSV import, kind by kind, each in its own transaction. Idempotent: a
 * second load changes nothing. Throws with every error when a file is rejected.
 */
export async function loadSampleNetwork(db: Db, now: Date): Promise<SampleSummary> {
  const files: SampleFileSummary[] = [];
  for (const kind of IMPORT_KINDS) {
    const file = SAMPLE_FILES[kind];
    const text = await readFile(new URL(`../../db/sample/${file}`, import.meta.url), 'utf8');
    const result = await importCsvText(db, kind, text, `db/sample/${file}`, now);
    if (!result.ok) throw new Error(`the sample network did not load:\n${result.errors.join('\n')}`);
    files.push({ kind, file, rows: result.rows, inserted: result.inserted, updated: result.updated });
  }
  return { files };
}
