import type { Kysely } from 'kysely';

/**
 * `notices.summary_outbox_id`: the outbox row that sent the coordinator's final summary, so the
 * summary can be edited in place when a held delivery settles after the broadcast finished (as
 * the progress message is). Null: no summary sent (yet), or sent before this column existed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('notices').addColumn('summary_outbox_id', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('notices').dropColumn('summary_outbox_id').execute();
}
