import type { Db } from '../../db/client.js';
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
  const imported = await db.selectFrom('calendar_years').select('year').where('year', '=', next).executeTakeFirst();
  if (imported) return [];
  const done = await db.selectFrom('audit_events').select('id')
    .where('action', '=', 'calendar.reminder').where('entity_id', '=', `${next}@${today}`).executeTakeFirst();
  if (done) return [];
  const effects = createEffects(db, now.toISOString(), defaultLocale, { personId: null, identityId: null });
  await effects.audit('calendar.reminder', 'calendar', `${next}@${today}`);
  const admins = await db.selectFrom('role_assignments').select('person_id').distinct()
    .where('role', '=', 'admin').where('status', '=', 'active').execute();
  for (const a of admins) await effects.notifyPerson(a.person_id, (t) => ({ text: t.calendarMissing(next) }), { reportUnreachable: false });
  return effects.outboxIds;
}
