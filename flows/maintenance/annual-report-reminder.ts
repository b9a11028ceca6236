import type { Db } from '../../db/client.js';
import { auditEventExists } from '../../db/repositories/audit.js';
import { activeAdminIds } from '../../db/repositories/press-records.js';
import { localDate } from '../copy/format.js';
import { createEffects } from '../effects.js';
import { reportingYear } from '../stats/periods.js';

/** The audit action recorded when a year's annual report is made (command line or dashboard); it ends the reminders. */
export const ANNUAL_REPORT_MADE = 'report.annual';
const REMINDED = 'report.annual_reminder';

/**
 * From 1 to 19 December, tells the admins in chat once a day that the Decree 244 Art. 10 report
 * for the reporting year ending on 14 December is due before the 20th — until someone makes it.
 * Idempotent per day (an audit event marks the day), like the calendar reminder. Returns the
 * outbox ids to deliver.
 */
export async function remindAnnualReport(db: Db, now: Date, defaultLocale: 'vi' | 'en'): Promise<number[]> {
  const today = localDate(now);
  const year = Number(today.slice(0, 4));
  if (today.slice(5, 7) !== '12' || today.slice(8) > '19') return [];
  if (await auditEventExists(db, 'report', ANNUAL_REPORT_MADE, String(year))) return [];
  if (await auditEventExists(db, 'report', REMINDED, `${year}@${today}`)) return [];
  const effects = createEffects(db, now.toISOString(), defaultLocale, { personId: null, identityId: null });
  await effects.audit(REMINDED, 'report', `${year}@${today}`);
  const range = reportingYear(year);
  const day = (d: string) => `${d.slice(8)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
  for (const id of await activeAdminIds(db)) {
    await effects.notifyPerson(id, (t) => ({ text: t.press.annualReportDue(year, day(range.from), day(range.to)) }), { reportUnreachable: false });
  }
  return effects.outboxIds;
}

/** Records that `year`'s annual report was made (the reminders stop). */
export async function recordAnnualReportMade(db: Db, year: number, now: Date, actorPersonId: number | null): Promise<void> {
  if (await auditEventExists(db, 'report', ANNUAL_REPORT_MADE, String(year))) return;
  const effects = createEffects(db, now.toISOString(), 'vi', { personId: actorPersonId, identityId: null });
  await effects.audit(ANNUAL_REPORT_MADE, 'report', String(year));
}
