import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

/**
 * Answers a reporter can quote, and corrections of them (issue #14):
 * - `persons.title`, `persons.title_en`: the person's position ("Phó Giám đốc Sở Y tế"), shown
 *   under an answer with their name; null: the answer names the role only;
 * - `outbox.edit_of_outbox_id`: this row corrects the message another row delivered — in place
 *   where the platform edits messages (with `edit_text`), else as a new message (`text`) replying
 *   to it. One row per recipient per correction, so a correction is delivered once like any row.
 * - `answer_drafts`: an answer (or correction) previewed and waiting for its spokesperson's
 *   confirmation; one per chat and inquiry, so one person may have several inquiries' drafts open.
 * Both versions of an answer stay in `inquiry_entries` (`answer`, then `answer_correction`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('persons').addColumn('title', 'text').execute();
  await db.schema.alterTable('persons').addColumn('title_en', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('edit_of_outbox_id', 'integer').execute();
  await db.schema.alterTable('outbox').addColumn('edit_text', 'text').execute();
  await withId(db, db.schema.createTable('answer_drafts'))
    .addColumn('identity_id', 'integer', (c) => c.notNull().references('identities.id'))
    .addColumn('inquiry_id', 'integer', (c) => c.notNull().references('inquiries.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('files', 'text')
    .addColumn('correcting', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('answer_drafts_chat_inquiry').on('answer_drafts').columns(['identity_id', 'inquiry_id']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('answer_drafts').execute();
  await db.schema.alterTable('outbox').dropColumn('edit_text').execute();
  await db.schema.alterTable('outbox').dropColumn('edit_of_outbox_id').execute();
  await db.schema.alterTable('persons').dropColumn('title_en').execute();
  await db.schema.alterTable('persons').dropColumn('title').execute();
}
