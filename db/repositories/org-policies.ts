import type { Insertable } from 'kysely';
import type { Db } from '../client.js';
import type { DeadlineOverride, DeadlineOverridesTable, IsoInstant } from '../schema.js';

/**
 * Writes of the organisations' own policies for the directory import: agencies' deadline periods
 * (`deadline_overrides`) and office hours (`orgs.office_hours`). Reads for deadline arithmetic are
 * in `deadlines.ts`.
 */

export type NewDeadlineOverride = Insertable<DeadlineOverridesTable>;

/** A deadline override to rewrite in place, by id. */
export interface DeadlineOverrideUpdate {
  id: number;
  amount: number;
  unit: DeadlineOverride['unit'];
  legal_basis: string;
  valid_to: DeadlineOverride['valid_to'];
  updated_at: IsoInstant;
}

/** Every deadline override, oldest first (a network has a few per agency). */
export async function loadDeadlineOverrides(db: Db): Promise<DeadlineOverride[]> {
  const rows = await db.selectFrom('deadline_overrides').selectAll().orderBy('id').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), org_id: Number(r.org_id), amount: Number(r.amount) }));
}

/** Inserts new overrides. */
export async function insertDeadlineOverrides(db: Db, rows: readonly NewDeadlineOverride[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('deadline_overrides').values([...rows]).execute();
}

/** Rewrites the given overrides; their organisation, class and `valid_from` (the row's identity) stay. */
export async function updateDeadlineOverrides(db: Db, rows: readonly DeadlineOverrideUpdate[]): Promise<void> {
  for (const { id, ...fields } of rows) await db.updateTable('deadline_overrides').set(fields).where('id', '=', id).execute();
}

/** Sets organisations' office hours (JSON, or null for the default hours) by id. */
export async function updateOfficeHours(
  db: Db, rows: ReadonlyArray<{ id: number; officeHours: string | null }>, nowIso: IsoInstant,
): Promise<void> {
  for (const row of rows) {
    await db.updateTable('orgs').set({ office_hours: row.officeHours, updated_at: nowIso }).where('id', '=', row.id).execute();
  }
}
