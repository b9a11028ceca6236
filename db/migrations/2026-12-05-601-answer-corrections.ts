import type { Kysely } from 'kysely';

/**
 * Answers a reporter can quote, and corrections of them (issue #14):
 * - `persons.title`, `persons.title_en`: the person's position ("Phó Giám đốc Sở Y tế"), shown
 *   under an answer with their name; null: the answer names the role only;
 * - `outbox.edit_of_outbox_id`: this row corrects the message another row delivered — in place
 *   where the platform edits messages (with `edit_text`), else as a new message (`text`) replying
 *   to it. One row per recipient per correction, so a correction is delivered once like any row.
 * Both versions of an answer stay in `inquiry_entries` (`answer`, then `answer_correction`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('persons').addColumn('title', 'text').execute();
  await db.schema.alterTable('persons').addColumn('title_en', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('edit_of_outbox_id', 'integer').execute();
  await db.schema.alterTable('outbox').addColumn('edit_text', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('edit_text').execute();
  await db.schema.alterTable('outbox').dropColumn('edit_of_outbox_id').execute();
  await db.schema.alterTable('persons').dropColumn('title_en').execute();
  await db.schema.alterTable('persons').dropColumn('title').execute();
}
