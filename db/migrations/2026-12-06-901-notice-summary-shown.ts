import type { Kysely } from 'kysely';

/**
 * What the coordinator's final summary of a notice shows, kept with the notice (it was kept in
 * Redis for three days, so a delivery held longer than that, or a Redis that lost its data, left
 * the summary out of date): `summary_shown` is the deliveries' tally the summary was last written
 * with, `summary_held` how many of them it showed as held. A notice whose summary shows a held
 * delivery is followed until that delivery settles, however long it takes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('notices').addColumn('summary_shown', 'text').execute();
  await db.schema.alterTable('notices').addColumn('summary_held', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('notices').dropColumn('summary_held').execute();
  await db.schema.alterTable('notices').dropColumn('summary_shown').execute();
}
