import type { Db } from '../db/client.js';
import { migrateToLatest } from '../db/migrate.js';
import { importShippedCalendars } from './import/calendar-shipped.js';

/** What {@link migrateDatabase} did. */
export interface MigrateDatabaseOutcome {
  /** Migrations applied by this call. */
  applied: string[];
  /** Years whose shipped official calendar was imported by this call. */
  calendars: number[];
}

/**
 * Brings a database up to this release: pending migrations, then the official calendars shipped in
 * `db/calendar/` for years without one (data of the release, like the schema: `calendar show` before
 * the first start already shows them; an admin's own import of a year is never overwritten).
 * `liaison migrate`, `liaison start` and every other command run it first. Idempotent.
 * @param now the import time recorded for any calendar imported.
 */
export async function migrateDatabase(db: Db, now: Date): Promise<MigrateDatabaseOutcome> {
  const { applied } = await migrateToLatest(db);
  const calendars = await importShippedCalendars(db, now);
  return { applied, calendars };
}
