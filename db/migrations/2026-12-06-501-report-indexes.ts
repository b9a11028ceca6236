import { type Kysely } from 'kysely';

/**
 * Indexes the annual report's listing reads at a million inquiries (`npm run bench -- --only
 * dashboard --part annual`, README "Benchmarks"):
 * - `inquiries_class_received`: the year's events under the 24-hour rule (2 % of the inquiries)
 *   by receipt time, instead of reading every inquiry of the year to keep the urgent ones;
 * - `inquiries_closed_received` replaces `inquiries_closed`: the year's replies to requests of
 *   earlier years are found in the index (reply time, then receipt time) without reading each
 *   reply of the year (SQLite: 0.4 → 0.04 s); a day's replies are still one range of it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('inquiries_class_received').ifNotExists().on('inquiries').columns(['deadline_class', 'received_at']).execute();
  await db.schema.createIndex('inquiries_closed_received').ifNotExists().on('inquiries').columns(['closed_at', 'received_at']).execute();
  await db.schema.dropIndex('inquiries_closed').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('inquiries_closed').ifNotExists().on('inquiries').column('closed_at').execute();
  for (const name of ['inquiries_closed_received', 'inquiries_class_received']) await db.schema.dropIndex(name).ifExists().execute();
}
