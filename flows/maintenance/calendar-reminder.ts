import type { Db } from '../../db/client.js';
import { auditEventExists } from '../../db/repositories/audit.js';
import { hasOfficialYear } from '../../db/repositories/calendar.js';
import { activeRoleHolderIds } from '../../db/repositories/directory.js';
import { localDate } from '../copy/format.js';
import { createEffects } from '../effects.js';

/**
 * In December, tells the admins in chat that next year's official holiday schedule is missing.
 * Idempotent per day (an audit event marks the day), so a re-run or a second process sends nothing twice.
 * Returns the outbox ids to deliver.
 */
export async function remindMissingCalendar(db: Db, now: Date, defaultLocale: 'vi' | 'en'): Promise<number[]> {
  const today = localDate(now);
  const [year, month] = today.split('-').map(Number) as [number, number];
  if (month !== 12) return [];
  const next = year + 1;
  if (await hasOfficialYear(db, next)) return [];
  if (await auditEventExists(db, 'calendar', 'calendar.reminder', `${next}@${today}`)) return [];
  const effects = createEffects(db, now.toISOString(), defaultLocale, { personId: null, identityId: null });
  await effects.audit('calendar.reminder', 'calendar', `${next}@${today}`);
  for (const personId of await activeRoleHolderIds(db, 'admin')) {
    await effects.notifyPerson(personId, (t) => ({ text: t.calendarMissing(next) }), { reportUnreachable: false });
  }
  return effects.outboxIds;
}
