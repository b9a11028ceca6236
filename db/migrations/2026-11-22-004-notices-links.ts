import type { Kysely } from 'kysely';
import { withId, withTimestamps } from './helpers.js';

/** Policy notices with one delivery row per recipient, and one-time codes that link a second chat. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withTimestamps(withId(db, db.schema.createTable('notices'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('created_by_person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('progress_identity_id', 'integer', (c) => c.references('identities.id'))
    .addColumn('progress_message_id', 'text')
    .addColumn('progress_outbox_id', 'integer')
    .addColumn('parent_id', 'integer', (c) => c.references('notices.id'))
    .addColumn('resent_in_flight', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('remind_at', 'text')
    .addColumn('reminded_at', 'text')).execute();
  await db.schema.createIndex('notices_status').on('notices').columns(['status', 'id']).execute();

  await withTimestamps(withId(db, db.schema.createTable('notice_recipients'))
    .addColumn('notice_id', 'integer', (c) => c.notNull().references('notices.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('org_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('identity_id', 'integer', (c) => c.references('identities.id'))
    .addColumn('platform', 'text')
    .addColumn('chat_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('parts_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('send_started_at', 'text')
    .addColumn('sent_message_id', 'text')
    .addColumn('sent_message_ids', 'text')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('acked_at', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('outbox_id', 'integer')
    .addUniqueConstraint('notice_recipients_once', ['notice_id', 'person_id'])).execute();
  await db.schema.createIndex('notice_recipients_status').on('notice_recipients').columns(['notice_id', 'status', 'id']).execute();
  await db.schema.createIndex('notice_recipients_outbox').on('notice_recipients').column('outbox_id').execute();
  await db.schema.createIndex('notice_recipients_chat').on('notice_recipients').columns(['platform', 'chat_id', 'sent_message_id']).execute();

  await db.schema.createTable('link_codes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('identity_id', 'integer', (c) => c.notNull().references('identities.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull()).execute();
  await db.schema.createIndex('link_codes_person').on('link_codes').columns(['person_id', 'purpose']).execute();

  await db.schema.alterTable('identities').addColumn('preferred', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('identities').dropColumn('preferred').execute();
  await db.schema.dropTable('link_codes').execute();
  await db.schema.dropTable('notice_recipients').execute();
  await db.schema.dropTable('notices').execute();
}
