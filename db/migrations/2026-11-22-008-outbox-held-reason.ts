import type { Kysely } from 'kysely';

/**
 * Why an outbox row is `held`: `reply_window` (the recipient must write first; released by their
 * next message) or `credentials` (the platform refused our own credentials; released once they
 * work again). Null on rows held before this column existed: those were all reply-window holds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('held_reason', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('held_reason').execute();
}
