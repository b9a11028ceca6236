import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

/**
 * Files (issue #13). `attachments`: one row per file a person sent (the bytes live once in the
 * blob store under `blob_key`, content-addressed by `sha256`); it belongs to an inquiry entry (a
 * question, an answer…) or a notice once the flow that received it decides so. `source_key` makes
 * storing an inbound file idempotent (an event processed again after a crash stores nothing new).
 * `platform_files`: the id a platform gave a file we uploaded (Telegram's `file_id`, per bot), so
 * the same bytes are never uploaded twice to one account. `outbox.attachments` and
 * `web_messages.files`: the files a message carries (JSON).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('attachments'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull().unique())
    .addColumn('sender_person_id', 'integer')
    .addColumn('sender_identity_id', 'integer')
    .addColumn('inquiry_id', 'integer')
    .addColumn('entry_id', 'integer')
    .addColumn('notice_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_inquiry').on('attachments').columns(['inquiry_id', 'id']).execute();
  await db.schema.createIndex('attachments_entry').on('attachments').columns(['entry_id']).execute();
  await db.schema.createTable('platform_files')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('platform_files_pk', ['platform', 'account', 'sha256'])
    .execute();
  await db.schema.alterTable('outbox').addColumn('attachments', 'text').execute();
  await db.schema.alterTable('web_messages').addColumn('files', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('web_messages').dropColumn('files').execute();
  await db.schema.alterTable('outbox').dropColumn('attachments').execute();
  await db.schema.dropTable('platform_files').execute();
  await db.schema.dropTable('attachments').execute();
}
