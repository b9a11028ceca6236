import type { Kysely } from 'kysely';

/**
 * `inquiries_topic_received`: the similar questions offered when a reporter picks a topic (and the
 * likely duplicates on a screening notice) are the newest inquiries of that topic; without it the
 * lookup walks every inquiry's receipt time, newest first, until it finds enough of the topic.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('inquiries_topic_received').ifNotExists().on('inquiries').columns(['topic_id', 'received_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('inquiries_topic_received').ifExists().execute();
}
