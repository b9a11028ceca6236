import { readdirSync } from 'node:fs';
import type { Db } from '../../db/client.js';
import { hasOfficialYear } from '../../db/repositories/calendar.js';
import { repoPath } from '../paths.js';
import { importCalendarCsv } from './calendar.js';

/**
 * Imports the official schedules shipped in `db/calendar/` whose years have no official schedule
 * yet (an admin's own import of a year is never overwritten). Returns the years imported.
 */
export async function importShippedCalendars(db: Db, now: Date): Promise<number[]> {
  const imported: number[] = [];
  const files = readdirSync(repoPath('db', 'calendar')).filter((f) => /^\d{4}\.csv$/.test(f)).sort();
  for (const file of files) {
    const year = Number(file.slice(0, 4));
    if (await hasOfficialYear(db, year)) continue;
    const result = await importCalendarCsv(db, repoPath('db', 'calendar', file), now);
    if (!result.ok) throw new Error(`the shipped calendar ${file} did not import:\n${result.errors.join('\n')}`);
    imported.push(...result.years);
  }
  return imported;
}
