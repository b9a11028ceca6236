import { sql, type Kysely } from 'kysely';

/**
 * Outbox rows are claimed before they are sent (issue #10): `lease_owner` (the claiming process)
 * and `lease_until` (when the claim lapses unless renewed) are set while a send is in flight and
 * cleared with its outcome, so a row still `pending` with a lapsed claim is exactly a send whose
 * outcome was never recorded. `next_attempt_at`: not before (a 429's `retry_after`, backoff).
 * `resent_in_flight`: how often such an interrupted send was started again (the only repeats).
 * `outbox_pending_heads`: the sweep reads the oldest pending row of every chat each second; pending
 * rows are a small range of it however many sent rows the table keeps.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('lease_until', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('next_attempt_at', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('resent_in_flight', 'integer', (c) => c.notNull().defaultTo(sql`0`)).execute();
  await db.schema.createIndex('outbox_pending_heads').on('outbox').columns(['status', 'queue', 'platform', 'chat_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_pending_heads').execute();
  for (const column of ['resent_in_flight', 'next_attempt_at', 'lease_until', 'lease_owner']) {
    await db.schema.alterTable('outbox').dropColumn(column).execute();
  }
}
