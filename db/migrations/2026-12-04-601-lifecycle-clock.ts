import type { Kysely } from 'kysely';

/**
 * Where an inquiry's current deadline period starts (issue #12):
 * - `reopened_at`: the follow-up that reopened an answered inquiry (its period counts from it);
 * - `conclusion_on`: the date of a complaint's conclusion as entered by the agency or the
 *   coordinating office (`complaint_conclusion` counts from it under the 2026 regime);
 * - `clock_from_at`: the instant the current due time is counted from (null on older rows: the
 *   received time), which the deadline scheduler measures reminders from;
 * - `period_seq`: the `deadline_seq` at which the current period began; reminders and escalations
 *   fired under an earlier sequence belong to an earlier period and do not silence this one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const name of ['reopened_at', 'conclusion_on', 'clock_from_at']) {
    await db.schema.alterTable('inquiries').addColumn(name, 'text').execute();
  }
  await db.schema.alterTable('inquiries').addColumn('period_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ['period_seq', 'clock_from_at', 'conclusion_on', 'reopened_at']) {
    await db.schema.alterTable('inquiries').dropColumn(name).execute();
  }
}
