import type { Kysely } from 'kysely';

/**
 * Credentials at rest (issue #10): an outbox row keeps its masked text beside the clear one until
 * it leaves `pending`; a web timeline entry keeps the clear text of a code only while the code
 * lives; failed code attempts are counted per identity from the audit trail (indexed here).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('masked_text', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('secrets', 'text').execute();
  await db.schema.alterTable('web_messages').addColumn('reveal_text', 'text').execute();
  await db.schema.alterTable('web_messages').addColumn('reveal_until', 'text').execute();
  await db.schema.createIndex('web_messages_reveal_until').on('web_messages').column('reveal_until').execute();
  await db.schema.createIndex('audit_events_actor_action').on('audit_events').columns(['actor_identity_id', 'action', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_events_actor_action').execute();
  await db.schema.dropIndex('web_messages_reveal_until').execute();
  await db.schema.alterTable('web_messages').dropColumn('reveal_until').execute();
  await db.schema.alterTable('web_messages').dropColumn('reveal_text').execute();
  await db.schema.alterTable('outbox').dropColumn('secrets').execute();
  await db.schema.alterTable('outbox').dropColumn('masked_text').execute();
}
