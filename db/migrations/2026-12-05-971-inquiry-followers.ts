import type { Kysely } from 'kysely';

/**
 * Following another reporter's question (issue #14, Conversations): a reporter offered a similar
 * open or answered question may follow it instead of asking again, and receives its answer (or
 * decline) in their own chat.
 * - `inquiry_followers`: one row per person and inquiry; `notified_at` is the `answered_at` (or
 *   decline instant) last delivered to them, so each answer reaches each follower once — the
 *   delivery claims the row by a conditional update in the answering transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('inquiry_followers')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('inquiry_id', 'integer', (c) => c.notNull().references('inquiries.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('notified_at', 'text')
    .addPrimaryKeyConstraint('inquiry_followers_pk', ['inquiry_id', 'person_id'])
    .execute();
  await db.schema.createIndex('inquiry_followers_person').on('inquiry_followers').columns(['person_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inquiry_followers').execute();
}
