import type { Kysely } from 'kysely';

/**
 * Reading a thread tells the reader's other pages (issue #14): `inbox_changes.reader_person_id` is
 * set on a row written when a person's read marker moves (`markRead`), so every web process's feed
 * tells that person's open pages, in any tab or device, to reload their unread counts. Such a row
 * concerns its reader only; the triggers' rows leave it null.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbox_changes').addColumn('reader_person_id', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbox_changes').dropColumn('reader_person_id').execute();
}
