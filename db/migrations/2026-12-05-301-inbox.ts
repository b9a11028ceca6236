import { sql, type Kysely } from 'kysely';
import { searchText } from '../repositories/search-text.js';

/**
 * The web page's inbox (issue #14, Conversations):
 * - `inquiries.search_text`: the question without diacritics, lower case (`searchText()`), so
 *   "tiem vac xin" finds "tiêm vắc-xin" with a plain LIKE on SQLite and PostgreSQL alike; filled
 *   here for existing rows and by `createInquiry` for new ones;
 * - `inbox_reads`: up to which entry a person has read each inquiry's thread (unread counts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inquiries').addColumn('search_text', 'text').execute();
  const rows = await sql<{ id: number; question: string }>`select id, question from inquiries`.execute(db);
  for (const r of rows.rows) await sql`update inquiries set search_text = ${searchText(r.question)} where id = ${r.id}`.execute(db);
  await db.schema.createTable('inbox_reads')
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('inquiry_id', 'integer', (c) => c.notNull())
    .addColumn('last_entry_id', 'integer', (c) => c.notNull())
    .addColumn('read_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('inbox_reads_pk', ['person_id', 'inquiry_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inbox_reads').execute();
  await db.schema.alterTable('inquiries').dropColumn('search_text').execute();
}
