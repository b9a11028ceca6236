import type { Kysely } from 'kysely';

/** Per-chat ordering asks "is an older row of this chat still pending?" on every delivery. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('outbox_chat_pending').on('outbox').columns(['queue', 'platform', 'chat_id', 'status', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_chat_pending').execute();
}
