import { sql, type Kysely } from 'kysely';

/**
 * Marks the outbox rows that carry a notice handed over by the notice engine (and their
 * redirected copies), the only rows whose delivery also settles a `notice_recipients` row. The
 * delivery of any other row then records "sent" in one statement instead of a transaction of
 * two (issue 12, round trips). Rows handed over before this migration are marked from the links.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('notice_handover', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`update outbox set notice_handover = 1 where id in (select outbox_id from notice_recipients where outbox_id is not null)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('notice_handover').execute();
}
