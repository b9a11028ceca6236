import type { Kysely } from 'kysely';

/**
 * `push_events.not_before`: a push held back by the person's quiet hours waits, still `pending`,
 * until this instant (the end of the quiet hours), then is decided again — so it survives a
 * restart like every pending push. Null: send at once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('push_events').addColumn('not_before', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('push_events').dropColumn('not_before').execute();
}
