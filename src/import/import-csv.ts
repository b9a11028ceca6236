import type { Db } from '../../db/client.js';
import { insertAuditEvent } from '../../db/repositories/directory-write.js';
import { importContacts, CONTACTS_CSV } from './contacts.js';
import { parseCsvTable, readUtf8File, type CsvTableSpec } from './csv-read.js';
import { DEADLINE_OVERRIDES_CSV, importDeadlineOverrides } from './deadline-overrides.js';
import { importOfficeHours, OFFICE_HOURS_CSV } from './office-hours.js';
import { importOrganisations, ORGANISATIONS_CSV } from './organisations.js';
import { importOutlets, OUTLETS_CSV } from './outlets.js';
import { importPeople, PEOPLE_CSV } from './people.js';
import { importTopics, TOPICS_CSV } from './topics.js';
import { createRowErrors, fileError, IMPORT_KINDS, type CsvRow, type ImportCounts, type ImportKind, type ImportResult, type RowErrors } from './types.js';

type KindImporter = (db: Db, rows: readonly CsvRow[], errs: RowErrors, nowIso: string) => Promise<ImportCounts | null>;

const IMPORTERS: Record<ImportKind, { spec: CsvTableSpec; run: KindImporter }> = {
  organisations: { spec: ORGANISATIONS_CSV, run: importOrganisations },
  topics: { spec: TOPICS_CSV, run: importTopics },
  outlets: { spec: OUTLETS_CSV, run: importOutlets },
  people: { spec: PEOPLE_CSV, run: importPeople },
  contacts: { spec: CONTACTS_CSV, run: importContacts },
  'deadline-overrides': { spec: DEADLINE_OVERRIDES_CSV, run: importDeadlineOverrides },
  'office-hours': { spec: OFFICE_HOURS_CSV, run: importOfficeHours },
};

/** The audit action written once per successful import. */
export const DIRECTORY_IMPORT_ACTION = 'directory.import';

/** The columns a kind accepts and requires (for help texts). */
export function toCsvColumns(kind: ImportKind): CsvTableSpec {
  return IMPORTERS[kind].spec;
}

/** `kind` as an {@link ImportKind} (`deadline_overrides` is read as `deadline-overrides`), or `null`. */
export function parseImportKind(kind: string): ImportKind | null {
  return IMPORT_KINDS.find((k) => k === kind.trim().toLowerCase().replaceAll('_', '-')) ?? null;
}

/** Thrown inside the transaction to roll it back when validation fails. */
class ValidationFailed extends Error {}

/**
 * Imports one CSV text of `kind`. The whole file is validated first; if any row is bad nothing
 * is written and every problem is returned as `fileLabel:line: lý do / reason`. Otherwise every row is
 * upserted by code in one transaction, with one `directory.import` audit event (entity = kind,
 * entity_id = `fileLabel`, after = JSON counts). Re-importing the same text changes nothing.
 * @param now the import time; stored as ISO-8601 UTC text in created_at/updated_at and the audit.
 */
export async function importCsvText(db: Db, kind: ImportKind, text: string, fileLabel: string, now: Date): Promise<ImportResult> {
  const importer = IMPORTERS[kind] as (typeof IMPORTERS)[ImportKind] | undefined;
  if (!importer) return { ok: false, errors: [fileError(fileLabel, (c) => c.unknownKind(String(kind), IMPORT_KINDS))] };
  const errs = createRowErrors(fileLabel);
  const rows = parseCsvTable(text, importer.spec, errs);
  if (rows === null) return { ok: false, errors: errs.list() };
  const nowIso = now.toISOString();
  try {
    return await db.transaction().execute(async (trx) => {
      const counts = await importer.run(trx, rows, errs, nowIso);
      // Row-level problems found while reading (e.g. field counts) also block the import.
      if (counts === null || errs.count > 0) throw new ValidationFailed();
      const after = { rows: rows.length, inserted: counts.inserted, updated: counts.updated,
        unchanged: rows.length - counts.inserted - counts.updated, ...counts.detail };
      await insertAuditEvent(trx, {
        at: nowIso, actor_person_id: null, actor_identity_id: null, action: DIRECTORY_IMPORT_ACTION,
        entity: kind, entity_id: fileLabel, before: null, after: JSON.stringify(after),
      });
      return { ok: true as const, kind, inserted: counts.inserted, updated: counts.updated, rows: rows.length };
    });
  } catch (error) {
    if (error instanceof ValidationFailed) return { ok: false, errors: errs.list() };
    throw error;
  }
}

/**
 * Reads `filePath` (UTF-8, with or without BOM) and imports it with {@link importCsvText}; the
 * path as given labels the errors and the audit event. An unreadable or non-UTF-8 file is an
 * `ok: false` result, not an exception.
 */
export async function importCsvFile(db: Db, kind: ImportKind, filePath: string, now: Date): Promise<ImportResult> {
  const file = await readUtf8File(filePath);
  if (!file.ok) return file;
  return importCsvText(db, kind, file.text, filePath, now);
}
